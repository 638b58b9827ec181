/**
 * `client --submit=...` (or `client --task=2`): the course's Task 2 test
 * client, run against a compute server. Three modes: the course run (the
 * default), the course run plus `--stress` cases, and load mode
 * (`--duration` or `--rounds`).
 *
 * @module
 */

import { PCAP_FLAG, withPcap } from "./pcap_flag.ts";
import { KEEP_ATTEMPTS_FLAG } from "./history_flag.ts";
import type { Logger } from "../net/logger.ts";
import { ScoreStore } from "../scores/score_store.ts";
import type { NewAttempt } from "../scores/attempt_history.ts";
import {
  runTestClient,
  TEST_CLIENT_DEFAULTS,
  type TestClientOptions,
  type TestReport,
} from "../task2/client/test_client.ts";
import { formatScore } from "../task2/client/test_score.ts";
import { formatStress, runStress, type StressFinding } from "../task2/client/stress_run.ts";
import { createProgress, onInterrupt, type ProgressSink, stderrSink } from "./progress.ts";
import { type Command, type Flag, flag, type FlagSpecs } from "./flags.ts";
import { runCommand } from "./main.ts";
import { CLIENT_ROLES } from "./task_select.ts";
import { UsageError } from "./usage_error.ts";
import { courseJson, loadMain } from "./test_client_output.ts";

/** Clients a submission must use: the course's four. */
const SUBMIT_CLIENTS = 4;

const ms = (description: string, fallback: number, min = 1): Flag<number> =>
  flag.integer({ value: "MS", description, min, max: 3_600_000, default: fallback });

/** The test client's typed flags. */
export interface TestClientFlags {
  /** Compute server address. */
  host: string;
  /** Compute server port. */
  port: number;
  /** The 8-digit student id. */
  studentID: number;
  /** True records the score in `--db`. */
  submit: boolean;
  /** Connections at once. */
  clients: number;
  /** Pause between writes, ms. */
  pause: number;
  /** Longest wait to connect, for the UUID and for each whole reply, ms. */
  timeout: number;
  /** Longest time for one client's whole session, ms. */
  deadline: number;
  /** How long clients with a UUID wait for the others, ms. */
  barrier: number;
  /** Show every message with times. */
  trace: boolean;
  /** Write the course run's exchanges to this pcap file. */
  pcap: string | undefined;
  /** One JSON report instead of lines. */
  json: boolean;
  /** Also run the hard cases. */
  stress: boolean;
  /** Load mode: seconds to run sessions back to back. */
  duration: number | undefined;
  /** Load mode: sessions per client. */
  rounds: number | undefined;
  /** Load mode writes. */
  style: "course" | "single" | undefined;
  /** SQLite file for best scores. */
  db: string;
  /** Attempt history kept per student and task. */
  "keep-attempts": number | undefined;
}

const FLAGS: { [K in keyof TestClientFlags]: Flag<TestClientFlags[K]> } = {
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
    max: 1000,
    default: TEST_CLIENT_DEFAULTS.clients,
  }),
  pause: ms("Pause between writes; keep it above the server's gap", 150, 0),
  timeout: ms("Longest wait to connect, for the UUID and for each whole reply", 10_000),
  deadline: ms("Longest time for one client's whole session", TEST_CLIENT_DEFAULTS.sessionMs),
  barrier: ms(
    "How long clients with a UUID wait for the others to get theirs",
    TEST_CLIENT_DEFAULTS.barrierMs,
  ),
  trace: flag.switch({ description: "Show every message sent and received, with times" }),
  pcap: PCAP_FLAG,
  json: flag.switch({ description: "Print one JSON report instead of the lines" }),
  stress: flag.switch({
    description: "Also run the hard cases (big bodies, large n, split writes, 16 clients)",
  }),
  duration: flag.integer({
    value: "S",
    description: "Load mode: run sessions back to back for S seconds",
    min: 1,
    max: 86_400,
  }),
  rounds: flag.integer({
    description: "Load mode: N sessions per client",
    min: 1,
    max: 1_000_000,
  }),
  style: flag.choice(["course", "single"] as const, {
    description: "Load mode writes: course (pauses) or single (one write per request)",
    defaultText: "course",
  }),
  db: flag.string({
    value: "FILE",
    description: "SQLite file for best scores (used with --submit=True)",
    default: "scores.db",
  }),
  "keep-attempts": KEEP_ATTEMPTS_FLAG,
};

const COMMAND: Command<typeof FLAGS> = {
  usage: "client --port=PORT --studentID=ID --submit=True|False [flags]",
  summary: [
    "Task 2 test client, as the course shipped it. Opens 4 connections to a compute",
    "server at once; on each sends a name, 2 FIBONACCI, 2 FACTORIAL and 2 FILE requests",
    "(n from 1 to 9, bodies under 1 KB, messages as separate writes with pauses) in",
    "random order, then COMPLETE, and checks every reply. Clients wait for each other's",
    "UUID, so a server that serves one client at a time is found out. Prints the score",
    "(40 points); --submit=True also records it as the best Task 2 score in --db.",
    "--stress adds hard cases, reported apart from the score. --duration or --rounds",
    "runs load mode instead: requests/s, latency percentiles, errors by kind.",
    "Exit code 0 only at full points (and every stress case passed; no load errors).",
  ].join("\n"),
  flags: FLAGS,
  examples: [
    "deno task client --task=2 --port=1234 --studentID=20200000 --submit=False",
    "./client --port=1234 --studentID=20200000 --submit=True",
    "./client --port=1234 --studentID=20200000 --submit=False --stress",
    "./client --port=1234 --studentID=20200000 --submit=False --clients=32 --duration=10",
  ],
  roles: CLIENT_ROLES,
};

/** The test client's command line. */
export const TEST_CLIENT_COMMAND: Command<FlagSpecs> = COMMAND;

/** The history entry of a submitted run: the score line, notes and main cause. */
function attemptOf(report: TestReport, flags: TestClientFlags, best: number): NewAttempt {
  const main = report.diagnoses[0];
  const host = flags.host.includes(":") ? `[${flags.host}]` : flags.host;
  return {
    task: 2,
    studentId: flags.studentID,
    keyword: null,
    peer: `${host}:${flags.port}`,
    score: report.score.total,
    message: [formatScore(report.score)[0]!, ...report.notes, ...(main ? [main.message] : [])]
      .join("; "),
    diagnosis: main === undefined ? null : { id: main.id, message: main.message },
    best,
  };
}

function checkFlags(flags: TestClientFlags): void {
  const load = flags.duration !== undefined || flags.rounds !== undefined;
  if (flags.submit && flags.clients < SUBMIT_CLIENTS) {
    throw new UsageError(
      `--submit=True needs --clients of at least ${SUBMIT_CLIENTS}, got ${flags.clients}`,
    );
  }
  if (load && flags.submit) {
    throw new UsageError("Load mode (--duration, --rounds) records no score: use --submit=False");
  }
  if (load && (flags.stress || flags.trace || flags.pcap !== undefined)) {
    const which = flags.stress ? "stress" : flags.trace ? "trace" : "pcap";
    throw new UsageError(`--${which} does not apply to load mode`);
  }
  if (!load && flags.style !== undefined) {
    throw new UsageError("--style applies to load mode only (--duration or --rounds)");
  }
}

/**
 * Runs the test client; returns 0 on success (40/40, every stress case
 * passed, or a load run without errors), 1 otherwise. Lines go to `log`
 * (`console.log` by default); with `--json`, only the JSON report does,
 * and `--trace` lines go to `errLog`. Progress of `--stress` and load mode
 * goes to `progress`: standard error when `log` is `console.log`, else
 * nowhere unless a sink is given.
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
  errLog: Logger = console.error,
  progress: ProgressSink | undefined = log === console.log ? stderrSink() : undefined,
): Promise<number> {
  return runCommand(COMMAND, args, async (flags) => {
    checkFlags(flags);
    if (flags.duration !== undefined || flags.rounds !== undefined) {
      return await loadMain(flags, log, progress);
    }
    // Open the database first, so a bad --db fails before the run.
    await using store = flags.submit ? await ScoreStore.open(flags.db) : undefined;
    const quiet: Logger = () => {};
    const options = {
      hostname: flags.host,
      port: flags.port,
      clients: flags.clients,
      pauseMs: flags.pause,
      timeoutMs: flags.timeout,
      sessionMs: flags.deadline,
      barrierMs: flags.barrier,
      log: flags.json ? quiet : log,
    };
    const trace = flags.trace ? (flags.json ? errLog : log) : undefined;
    const report = await withPcap(
      flags.pcap,
      (capture) => runTestClient({ ...options, ...(trace ? { trace } : {}), capture }),
      errLog,
    );
    if (!flags.json) { for (const line of formatScore(report.score)) log(line); }
    const stress = flags.stress
      ? await stressWithProgress(options, quiet, flags.json ? undefined : progress)
      : undefined;
    if (stress !== undefined && !flags.json) { for (const line of formatStress(stress)) log(line); }
    let best: number | undefined;
    if (store !== undefined) {
      if (!flags.json) log("Submitting to database");
      ({ best } = await store.record(flags.studentID, 2, report.score.total));
      await store.recordAttempt(
        attemptOf(report, flags, best),
        flags["keep-attempts"],
      );
      if (!flags.json) {
        log(`Database update successful: best Task 2 score of ${flags.studentID} is ${best}/40`);
      }
    }
    if (flags.json) log(JSON.stringify(courseJson(report, stress, best)));
    const passed = report.score.total === report.score.max &&
      (stress ?? []).every((finding) => finding.passed);
    return passed ? 0 : 1;
  }, log);
}

/** Runs the stress cases with a progress line per case and a partial summary on Ctrl-C. */
async function stressWithProgress(
  options: TestClientOptions,
  quiet: Logger,
  sink: ProgressSink | undefined,
): Promise<StressFinding[]> {
  const progress = sink === undefined ? undefined : createProgress(sink);
  let sofar: readonly StressFinding[] = [];
  using _interrupt = onInterrupt(() =>
    ["Interrupted; the stress cases measured so far:", ...formatStress(sofar)].join("\n")
  );
  try {
    return await runStress({ ...options, log: quiet }, false, (index, total, name, done) => {
      sofar = done;
      progress?.stage(`stress case ${index + 1}/${total}: ${name}`);
    });
  } finally {
    progress?.done();
  }
}
