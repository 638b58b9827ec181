/**
 * `client --submit=...` (or `client --task=2`): the course's Task 2 test
 * client, run against a compute server.
 *
 * @module
 */

import {
  type CommandSpec,
  formatHelp,
  parseBooleanFlag,
  parseCommandLine,
  parseIntegerFlag,
  parsePortFlag,
  parseStudentIdFlag,
} from "./flags.ts";
import { UsageError } from "../net/errors.ts";
import { ScoreStore } from "../scores/score_store.ts";
import { runTestClient } from "../task2/test_client.ts";
import { formatScore } from "../task2/test_score.ts";

/** Clients a submission must use: the course's four. */
const SUBMIT_CLIENTS = 4;

/**
 * The test client's command line.
 *
 * @example
 * ```ts
 * import { TEST_CLIENT_COMMAND } from "./test_client.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(TEST_CLIENT_COMMAND.flags.submit?.required, true);
 * ```
 */
export const TEST_CLIENT_COMMAND: CommandSpec = {
  usage: "client --port=PORT --studentID=ID --submit=True|False [flags]",
  summary: [
    "Task 2 test client, as the course shipped it. Opens several connections to a",
    "compute server at once; on each sends a name, 2 FIBONACCI, 2 FACTORIAL and 2 FILE",
    "requests in random order, then COMPLETE, and checks every reply. Prints the score",
    "(40 points); with --submit=True also records it as the best Task 2 score in --db.",
    "Exit code 0 only at full points.",
  ].join("\n"),
  flags: {
    host: {
      type: "string",
      value: "HOST",
      description: "Compute server address",
      default: "127.0.0.1",
    },
    port: { type: "string", value: "PORT", description: "Compute server port", required: true },
    studentID: {
      type: "string",
      value: "ID",
      description: "Your 8-digit student id",
      required: true,
    },
    submit: {
      type: "string",
      value: "BOOL",
      description: "True records the score in --db, False only prints it",
      required: true,
    },
    clients: {
      type: "string",
      value: "N",
      description: `Connections at once (at least ${SUBMIT_CLIENTS} with --submit=True)`,
      default: "4",
    },
    pause: {
      type: "string",
      value: "MS",
      description: "Pause between writes; keep it above the server's gap",
      default: "150",
    },
    timeout: {
      type: "string",
      value: "MS",
      description: "Longest wait to connect and for each reply",
      default: "10000",
    },
    db: {
      type: "string",
      value: "FILE",
      description: "SQLite file for best scores (used with --submit=True)",
      default: "scores.db",
    },
  },
  examples: [
    "deno task client --task=2 --port=1234 --studentID=20200000 --submit=False",
    "./client --port=1234 --studentID=20200000 --submit=True",
  ],
};

/**
 * Runs the test client; returns 0 at full points, 1 otherwise. Lines go to
 * `log`, `console.log` by default.
 *
 * @example
 * ```ts
 * import { testClientMain } from "./test_client.ts";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(testClientMain(["--port=1234", "--studentID=20200000"]), {
 *   name: "UsageError",
 *   message: /Missing required flag --submit/,
 * });
 * ```
 */
export async function testClientMain(
  args: readonly string[],
  log: (line: string) => void = console.log,
): Promise<number> {
  const flags = parseCommandLine(TEST_CLIENT_COMMAND, args);
  if (flags === undefined) {
    log(formatHelp(TEST_CLIENT_COMMAND));
    return 0;
  }
  const hostname = String(flags.host);
  const port = parsePortFlag(String(flags.port));
  const studentId = parseStudentIdFlag(String(flags.studentID));
  const submit = parseBooleanFlag("submit", String(flags.submit));
  const clients = parseIntegerFlag("clients", String(flags.clients), 1, 64);
  const pauseMs = parseIntegerFlag("pause", String(flags.pause), 0, 60_000);
  const timeoutMs = parseIntegerFlag("timeout", String(flags.timeout), 1, 3_600_000);
  if (submit && clients < SUBMIT_CLIENTS) {
    throw new UsageError(
      `--submit=True needs --clients of at least ${SUBMIT_CLIENTS}, got ${clients}`,
    );
  }
  // Open the database first, so a bad --db fails before the run.
  using store = submit ? ScoreStore.open(String(flags.db)) : undefined;
  const report = await runTestClient({ hostname, port, clients, pauseMs, timeoutMs, log });
  for (const line of formatScore(report.score)) log(line);
  if (store !== undefined) {
    log("Submitting to database");
    const { best } = store.record(studentId, 2, report.score.total);
    log(`Database update successful: best Task 2 score of ${studentId} is ${best}/40`);
  }
  return report.score.total === report.score.max ? 0 : 1;
}
