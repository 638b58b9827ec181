/**
 * `client --submit=...` (or `client --task=2`): the course's Task 2 test
 * client, run against a compute server.
 *
 * @module
 */

import type { Logger } from "../net/logger.ts";
import { ScoreStore } from "../scores/score_store.ts";
import { runTestClient } from "../task2/test_client.ts";
import { formatScore } from "../task2/test_score.ts";
import { type Command, flag } from "./flags.ts";
import { runCommand } from "./main.ts";
import { CLIENT_ROLES } from "./task_select.ts";
import { UsageError } from "./usage_error.ts";

/** Clients a submission must use: the course's four. */
const SUBMIT_CLIENTS = 4;

const FLAGS = {
  host: flag.string({ value: "HOST", description: "Compute server address", default: "127.0.0.1" }),
  port: flag.port({ description: "Compute server port", required: true }),
  studentID: flag.studentId({ description: "Your 8-digit student id", required: true }),
  submit: flag.bool({
    description: "True records the score in --db, False only prints it",
    required: true,
  }),
  clients: flag.integer({
    description: `Connections at once (at least ${SUBMIT_CLIENTS} with --submit=True)`,
    min: 1,
    max: 64,
    default: SUBMIT_CLIENTS,
  }),
  pause: flag.integer({
    value: "MS",
    description: "Pause between writes; keep it above the server's gap",
    min: 0,
    max: 60_000,
    default: 150,
  }),
  timeout: flag.integer({
    value: "MS",
    description: "Longest wait to connect and for each reply",
    min: 1,
    max: 3_600_000,
    default: 10_000,
  }),
  db: flag.string({
    value: "FILE",
    description: "SQLite file for best scores (used with --submit=True)",
    default: "scores.db",
  }),
};

/** The test client's command line. */
export const TEST_CLIENT_COMMAND: Command<typeof FLAGS> = {
  usage: "client --port=PORT --studentID=ID --submit=True|False [flags]",
  summary: [
    "Task 2 test client, as the course shipped it. Opens several connections to a",
    "compute server at once; on each sends a name, 2 FIBONACCI, 2 FACTORIAL and 2 FILE",
    "requests in random order, then COMPLETE, and checks every reply. Prints the score",
    "(40 points); with --submit=True also records it as the best Task 2 score in --db.",
    "Exit code 0 only at full points.",
  ].join("\n"),
  flags: FLAGS,
  examples: [
    "deno task client --task=2 --port=1234 --studentID=20200000 --submit=False",
    "./client --port=1234 --studentID=20200000 --submit=True",
  ],
  roles: CLIENT_ROLES,
};

/**
 * Runs the test client; returns 0 at full points, 1 otherwise. Lines go to
 * `log`, `console.log` by default.
 *
 * @example
 * ```ts
 * import { testClientMain } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(testClientMain(["--port=1234", "--studentID=20200000"]), {
 *   name: "UsageError",
 *   message: /Missing required flag --submit/,
 * });
 * ```
 */
export function testClientMain(
  args: readonly string[],
  log: Logger = console.log,
): Promise<number> {
  return runCommand(TEST_CLIENT_COMMAND, args, async (flags) => {
    if (flags.submit && flags.clients < SUBMIT_CLIENTS) {
      throw new UsageError(
        `--submit=True needs --clients of at least ${SUBMIT_CLIENTS}, got ${flags.clients}`,
      );
    }
    // Open the database first, so a bad --db fails before the run.
    await using store = flags.submit ? await ScoreStore.open(flags.db) : undefined;
    const report = await runTestClient({
      hostname: flags.host,
      port: flags.port,
      clients: flags.clients,
      pauseMs: flags.pause,
      timeoutMs: flags.timeout,
      log,
    });
    for (const line of formatScore(report.score)) log(line);
    if (store !== undefined) {
      log("Submitting to database");
      const { best } = await store.record(flags.studentID, 2, report.score.total);
      log(`Database update successful: best Task 2 score of ${flags.studentID} is ${best}/40`);
    }
    return report.score.total === report.score.max ? 0 : 1;
  }, log);
}
