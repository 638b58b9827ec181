/**
 * The Task 1 half of `deno task demo`: the grading server and the decryption
 * client on loopback, with an in-memory score database.
 *
 * @module
 */

import { runDecryptClient } from "../lib/task1/client/decrypt_client.ts";
import { serveGrading } from "../lib/task1/grading/grading_server.ts";
import { ScoreStore } from "../lib/scores/score_store.ts";

/**
 * Runs a grading server on 127.0.0.1 (any free port), submits once in each
 * reply style, prints what the client and server print, and returns the
 * best score stored (50 when all is well).
 *
 * @example
 * ```ts
 * import { demoTask1 } from "./demo_task1.ts";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * assert.equal(await demoTask1((line) => lines.push(line)), 50);
 * assert.ok(lines.includes("Score: 50"));
 * ```
 */
export async function demoTask1(print: (line: string) => void = console.log): Promise<number> {
  await using store = await ScoreStore.open(":memory:");
  const log = (line: string) => print(`  server | ${line}`);
  await using server = serveGrading({ hostname: "127.0.0.1", store, log });
  print(`Task 1: grading server on 127.0.0.1:${server.port}`);
  for (const style of ["per-packet", "rechunk"] as const) {
    print(`$ client --host=127.0.0.1 --port=${server.port} --studentID=20200000 --style=${style}`);
    const result = await runDecryptClient({
      hostname: "127.0.0.1",
      port: server.port,
      studentId: 20200000,
      style,
    });
    print(`KEY: ${result.keyword}`);
    print(`Score: ${result.score}`);
    print(`Message: ${result.message}`);
  }
  await server.close();
  return await store.best(20200000, 1) ?? 0;
}
