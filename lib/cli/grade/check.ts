/**
 * The single check of a student's own programs: `client.py` against a
 * private grading server (nothing stored), `server.py` under the
 * course-faithful test client; one report card out of 90.
 *
 * The only place that imports both tasks (tasks never import each other).
 *
 * @module
 */

import type { PcapCapture } from "../../net/pcap.ts";
import { now } from "../../net/deadline.ts";
import type { Diagnosis } from "../../net/diagnosis.ts";
import { showText } from "../../net/peer_text.ts";
import {
  type GradingOutcome,
  MAX_SCORE,
  POINTS,
  type RubricPoints,
  serveGrading,
} from "../../task1/mod.ts";
import { runTestClient, type Score } from "../../task2/mod.ts";
import { runBounded, type RunEnd, type SandboxLimits } from "./sandbox.ts";

/** The Task 1 items of a client whose reply was never judged. */
const NO_POINTS: RubricPoints = { header: 0, received: 0, length: 0, data: 0 };

/** What the check of a Task 1 client found. */
export interface ClientCheck {
  /** Points earned, out of 50. */
  score: number;
  /** The points item by item (header 10, received 10, length 15, data 15); all 0 when no reply was judged. */
  items: RubricPoints;
  /** The grading server's result message (or why there is none). */
  message: string;
  /** The result keyword the server sent (`GOOD`/`FAIL`), when it graded. */
  keyword?: string;
  /** The mistakes found on the wire. */
  diagnoses: Diagnosis[];
  /** Whether the program printed each of `KEY:`, `Score:` and `Message:` as the server sent them. */
  printed: { key: boolean; score: boolean; message: boolean };
  /** Problems with the program itself: crash, traceback, time-out, output flood. */
  problems: string[];
  /** The program's output, capped. */
  stdout: string;
  /** The program's error output, capped. */
  stderr: string;
}

/** What the check of a Task 2 server found. */
export interface ServerCheck {
  /** The score by request type, out of 40. */
  score: Score;
  /** The mistakes found on the wire. */
  diagnoses: Diagnosis[];
  /** Run-level findings of the test client. */
  notes: string[];
  /** Whether the program listened on its port. */
  listened: boolean;
  /** Problems with the program itself: crash, traceback, never listened. */
  problems: string[];
  /** The program's output, capped. */
  stdout: string;
  /** The program's error output, capped. */
  stderr: string;
}

/** Options of both checks. */
export interface CheckOptions {
  /** Working directory of the program (a scratch directory holding it). */
  cwd: string;
  /** Limits of the program; the time limit bounds the whole check. */
  limits?: SandboxLimits;
  /** How long the server program has to start listening; default 10 000 ms. */
  listenMs?: number;
  /** Records the exchanges with the student's programs (`--pcap`), if given. */
  capture?: PcapCapture | undefined;
  /** Clients the test client opens; default the course's 4. */
  clients?: number;
}

function endProblems(end: RunEnd, stderr: string, expectExit: boolean): string[] {
  const problems: string[] = [];
  if (end.timedOut) problems.push("the program ran out of time and was killed");
  else if (expectExit && end.code !== 0 && !end.stopped) {
    problems.push(
      `the program exited with code ${end.code}${end.signal ? ` (${end.signal})` : ""}`,
    );
  }
  if (!expectExit && !end.stopped && !end.timedOut) {
    problems.push(`the server program ended by itself with code ${end.code}`);
  }
  if (/Traceback \(most recent call last\)/.test(stderr)) {
    const last = stderr.trimEnd().split("\n").at(-1) ?? "";
    problems.push(`the program printed a traceback: ${showText(last)}`);
  }
  if (end.droppedBytes > 0) problems.push(`output flood: ${end.droppedBytes} bytes dropped`);
  return problems;
}

/** Whether `stdout` holds `prefix` + `value` as a whole line. */
function printedLine(stdout: string, prefix: string, value: string): boolean {
  return stdout.split(/\r?\n/).some((line) => line.trimEnd() === `${prefix} ${value}`.trimEnd());
}

/**
 * Runs client command `command` with `--host=127.0.0.1 --port=P
 * --studentID=ID` against a private grading server (no database) and
 * reports what it earned and printed.
 *
 * @example
 * ```ts no-assert
 * import { checkClient } from "@cs341/practice2/cli";
 *
 * const check = await checkClient("python3 client.py", 20200000, { cwd: "." });
 * console.log(check.score, check.message);
 * ```
 */
export async function checkClient(
  command: string,
  studentId: number,
  options: CheckOptions,
): Promise<ClientCheck> {
  const outcomes: GradingOutcome[] = [];
  await using server = serveGrading({
    hostname: "127.0.0.1",
    port: 0,
    log: () => {},
    onOutcome: (outcome) => outcomes.push(outcome),
    maxConnections: 4,
    capture: options.capture,
  });
  const run = runBounded(
    command,
    [`--host=127.0.0.1`, `--port=${server.port}`, `--studentID=${studentId}`],
    options.cwd,
    options.limits,
  );
  const end = await run.ended;
  await server.close({ force: true });
  const stdout = run.stdout();
  const stderr = run.stderr();
  const problems = endProblems(end, stderr, true);
  // The outcome that counts: the best of the connections the program made.
  const outcome = outcomes.toSorted((a, b) => b.score - a.score)[0];
  if (outcome === undefined) {
    return {
      score: 0,
      items: NO_POINTS,
      message: "the program never connected to the grading server",
      diagnoses: [],
      printed: { key: false, score: false, message: false },
      problems,
      stdout,
      stderr,
    };
  }
  const keyword = outcome.score === MAX_SCORE ? "GOOD" : "FAIL";
  return {
    score: outcome.score,
    items: outcome.items ?? NO_POINTS,
    message: outcome.message,
    keyword,
    diagnoses: outcome.diagnoses,
    printed: {
      key: printedLine(stdout, "KEY:", keyword),
      score: printedLine(stdout, "Score:", String(outcome.score)),
      message: printedLine(stdout, "Message:", outcome.message),
    },
    problems,
    stdout,
    stderr,
  };
}

/**
 * A free TCP port on 127.0.0.1 (bound and released), picked at random below
 * Linux's ephemeral range (32768 and up): a port the kernel hands out for
 * `port: 0` could be taken by another listener between our release and the
 * student's bind, and our readiness probe would then reach that listener.
 */
function freePort(): number {
  for (let tries = 0; tries < 50; tries++) {
    const port = 10_000 + Math.floor(Math.random() * 22_000);
    try {
      const listener = Deno.listen({ hostname: "127.0.0.1", port });
      listener.close();
      return port;
    } catch {
      // Taken; try another.
    }
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Tries to connect to `port` until it works, `ended` settles or `ms` pass. */
async function waitListening(port: number, ended: Promise<unknown>, ms: number): Promise<boolean> {
  let over = false;
  ended.then(() => over = true, () => over = true);
  const deadline = now() + ms;
  while (!over && now() < deadline) {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      conn.close();
      return true;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return false;
}

/**
 * Starts server command `command` with `--port=P` on a free port, waits
 * until it listens, runs the course-faithful test client against it and
 * stops it.
 *
 * A note on the probe: the wait for the port opens and closes one
 * connection, which a server sees as a client that sent nothing.
 *
 * @example
 * ```ts no-assert
 * import { checkServer } from "@cs341/practice2/cli";
 *
 * const check = await checkServer("python3 server.py", { cwd: "." });
 * console.log(check.score.total);
 * ```
 */
export async function checkServer(command: string, options: CheckOptions): Promise<ServerCheck> {
  // A port that was free when picked can still be refused to the student's
  // bind (another listener took it, or a program without SO_REUSEADDR meets a
  // TIME_WAIT left there): that is not the student's fault, so a start that
  // ends in "Address already in use" is tried again on another port.
  const start = async () => {
    const port = freePort();
    const run = runBounded(command, [`--port=${port}`], options.cwd, options.limits);
    return {
      port,
      run,
      listened: await waitListening(port, run.ended, options.listenMs ?? 10_000),
    };
  };
  let started = await start();
  for (
    let retry = 0;
    retry < 3 && !started.listened && /address already in use/i.test(started.run.stderr());
    retry++
  ) {
    await started.run.stop();
    started = await start();
  }
  const { port, run, listened } = started;
  try {
    let report;
    if (listened) {
      report = await runTestClient({
        hostname: "127.0.0.1",
        port,
        log: () => {},
        ...(options.clients === undefined ? {} : { clients: options.clients }),
        capture: options.capture,
      });
    }
    const end = await run.stop();
    const stdout = run.stdout();
    const stderr = run.stderr();
    const problems = endProblems(end, stderr, false);
    if (!listened) problems.unshift(`the program never listened on port ${port}`);
    const empty = { okay: 0, points: 0, max: 0 };
    return {
      score: report?.score ??
        {
          fibonacci: { ...empty, max: 10 },
          factorial: { ...empty, max: 10 },
          wordCount: { ...empty, max: 20 },
          total: 0,
          max: 40,
        },
      diagnoses: report?.diagnoses ?? [],
      notes: report?.notes ?? [],
      listened,
      problems,
      stdout,
      stderr,
    };
  } finally {
    await run.stop();
  }
}

/** One report card: either check or both. */
export interface ReportCard {
  /** The Task 1 client check, when one ran. */
  task1?: ClientCheck;
  /** The Task 2 server check, when one ran. */
  task2?: ServerCheck;
  /** Points earned over the checks that ran. */
  total: number;
  /** Points possible over the checks that ran (50, 40 or 90). */
  max: number;
}

/**
 * The report card of `task1` and `task2` (either may be missing).
 *
 * @example
 * ```ts
 * import { reportCard } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(reportCard(undefined, undefined), { total: 0, max: 0 });
 * ```
 */
export function reportCard(task1?: ClientCheck, task2?: ServerCheck): ReportCard {
  return {
    ...(task1 ? { task1 } : {}),
    ...(task2 ? { task2 } : {}),
    total: (task1?.score ?? 0) + (task2?.score.total ?? 0),
    max: (task1 ? MAX_SCORE : 0) + (task2 ? 40 : 0),
  };
}

function tail(text: string, lines: number): string[] {
  return text.trimEnd().split("\n").slice(-lines).map((line) => `    | ${showText(line)}`);
}

function diagnosisLines(diagnoses: readonly Diagnosis[]): string[] {
  return diagnoses.map((d) => `  ${d.severity}: ${d.message}\n    fix: ${d.fix}`);
}

/**
 * The report card as text lines.
 *
 * @example
 * ```ts
 * import { formatCard, reportCard } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * assert.equal(formatCard(reportCard()).at(-1), "Total: 0/0");
 * ```
 */
export function formatCard(card: ReportCard): string[] {
  const lines: string[] = [];
  const t1 = card.task1;
  if (t1) {
    lines.push(`Task 1 client: ${t1.score}/${MAX_SCORE}`);
    const item = (name: string, key: keyof RubricPoints) =>
      `  ${name} ${t1.items[key]}/${POINTS[key]}`;
    lines.push(
      item("header", "header"),
      item("every packet received", "received"),
      item("reply length", "length"),
      item("decrypted data", "data"),
    );
    lines.push(`  result: ${t1.keyword ?? "none"}: ${showText(t1.message)}`);
    lines.push(...diagnosisLines(t1.diagnoses));
    const said = (ok: boolean, what: string) =>
      `  printed ${what}: ${ok ? "yes" : "NO (must print it exactly as the server sent it)"}`;
    lines.push(said(t1.printed.key, "KEY:"), said(t1.printed.score, "Score:"));
    lines.push(said(t1.printed.message, "Message:"));
    for (const problem of t1.problems) lines.push(`  problem: ${problem}`);
    if (t1.problems.length > 0 && t1.stderr.trim() !== "") {
      lines.push("  its error output (last lines):", ...tail(t1.stderr, 10));
    }
  }
  const t2 = card.task2;
  if (t2) {
    const s = t2.score;
    lines.push(`Task 2 server: ${s.total}/${s.max}`);
    lines.push(`  FIBONACCI ${s.fibonacci.points}/${s.fibonacci.max}`);
    lines.push(`  FACTORIAL ${s.factorial.points}/${s.factorial.max}`);
    lines.push(`  FILE (WORD_COUNT) ${s.wordCount.points}/${s.wordCount.max}`);
    lines.push(...diagnosisLines(t2.diagnoses));
    for (const note of t2.notes) lines.push(`  note: ${note}`);
    for (const problem of t2.problems) lines.push(`  problem: ${problem}`);
    if (t2.problems.length > 0 && (t2.stderr.trim() !== "" || t2.stdout.trim() !== "")) {
      lines.push("  its output (last lines):", ...tail(t2.stderr || t2.stdout, 10));
    }
  }
  lines.push(`Total: ${card.total}/${card.max}`);
  return lines;
}
