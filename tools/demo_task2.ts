/**
 * The Task 2 half of `deno task demo`: the compute server and the course's
 * test client on loopback, with an in-memory score database.
 *
 * @module
 */

import { serveCompute } from "../lib/task2/server/compute_server.ts";
import { ScoreStore } from "../lib/scores/score_store.ts";
import { runTestClient } from "../lib/task2/client/test_client.ts";
import { formatScore } from "../lib/task2/client/test_score.ts";

/**
 * Runs a compute server on 127.0.0.1 (any free port) and the test client
 * with four clients against it, prints what both print, records the score
 * as a submission and returns the best score stored (40 when all is well).
 *
 * @example
 * ```ts
 * import { demoTask2 } from "./demo_task2.ts";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * assert.equal(await demoTask2((line) => lines.push(line)), 40);
 * assert.ok(lines.includes("Total points 40/40"));
 * ```
 */
export async function demoTask2(print: (line: string) => void = console.log): Promise<number> {
  await using store = await ScoreStore.open(":memory:");
  const log = (line: string) => print(`  server | ${line}`);
  await using server = serveCompute({ hostname: "127.0.0.1", gapMs: 10, once: true, log });
  print(`Task 2: compute server on 127.0.0.1:${server.port}`);
  print(`$ client --port=${server.port} --studentID=20200000 --submit=True --pause=20`);
  const report = await runTestClient({
    hostname: "127.0.0.1",
    port: server.port,
    pauseMs: 20,
    maxFileBytes: 50_000,
    log: print,
  });
  for (const line of formatScore(report.score)) print(line);
  print("Submitting to database");
  const { best } = await store.record(20200000, 2, report.score.total);
  print(`Database update successful: best Task 2 score of 20200000 is ${best}/40`);
  await server.finished;
  return best;
}
