/**
 * One soak run against two live servers on 127.0.0.1: well-formed Task 2
 * clients (all connected before any request; two requests of each kind in
 * random order, each message a separate write as the course's client sent
 * them, answers checked), well-formed Task 1 sessions
 * (the library's `runDecryptClient`, 50/50 checked) and the malformed
 * clients of bench/soak_malformed.ts, all at the same time; then one fresh
 * client per server. Bounded: every wait has a time-out, and at `limitMs`
 * every connection still open is closed and its client counted unfinished.
 *
 * @module
 */

import { runDecryptClient } from "@cs341/practice2/task1";
import { clientUuid, planRequests, type TestRequest } from "@cs341/practice2/task2";
import { setTimeout as sleep } from "node:timers/promises";
import { Barrier } from "../lib/task2/client/barrier.ts";
import type { RawPeer } from "../tests/helpers/task2_peer.ts";
import { runMalformed } from "./soak_malformed.ts";
import { seededRandom } from "./fixtures.ts";
import { handshake } from "./load.ts";
import { errorKind, Gauge, OpenConns, replyTo, SoakError, Tally } from "./soak_clients.ts";
import { type LatencySummary, summarize } from "./report.ts";

/**
 * One soak client's requests: two of each kind in random order, from the
 * test client's own planner (lib/task2/client/test_requests.ts), n from 0
 * to 60, FILE bodies of 1 byte to `maxFileBytes` (log-uniform).
 */
export function planTask2(random: () => number, maxFileBytes = 32 * 1024): TestRequest[] {
  return planRequests({ random, minN: 0, maxN: 60, maxFileBytes });
}

/** Timing of a soak Task 2 client, ms. */
export interface Task2Timing {
  /** Pause between a keyword and its number. */
  pauseMs: number;
  /** Pause after a FILE length before its body (longer than the server's gap). */
  bodyPauseMs: number;
  /** Longest wait for one read or write. */
  timeoutMs: number;
}

/**
 * Connects, sends `name`, checks the UUID is `uuid3(NAMESPACE_DNS, name)`,
 * waits for `ready()` (all clients connected), runs `requests`, sends
 * `COMPLETE` and waits for the server to close. Throws a `SoakError`.
 */
export async function runTask2Client(
  peer: RawPeer,
  name: string,
  requests: readonly TestRequest[],
  timing: Task2Timing,
  ready: () => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  const { timeoutMs } = timing;
  const uuid = await handshake(peer, name, timeoutMs);
  if (uuid !== clientUuid(name)) {
    throw new SoakError("bad-uuid", `name ${name}: got '${uuid}', expected ${clientUuid(name)}`);
  }
  await ready();
  for (const request of requests) {
    const what = request.label;
    const [keyword, number, body] = request.messages;
    let answer;
    try {
      await peer.send(keyword!, timeoutMs);
      await sleep(timing.pauseMs);
      await peer.send(number!, timeoutMs);
      if (body !== undefined) {
        await sleep(timing.bodyPauseMs);
        await peer.send(body, timeoutMs);
      }
      answer = await replyTo(peer, uuid, timeoutMs, 64 * 1024);
    } catch (error) {
      throw new SoakError(errorKind(error), `${what}: ${error}`, { cause: error });
    }
    if (answer.startsWith("ERROR")) throw new SoakError("error-reply", `${what}: '${answer}'`);
    if (answer !== request.expected) {
      throw new SoakError("wrong-answer", `${what}: expected ${request.expected}, got '${answer}'`);
    }
  }
  await peer.send("COMPLETE", timeoutMs);
  const end = await peer.drain(timeoutMs, 256);
  if (end.total > 0 || end.end !== "closed") {
    const kind = end.end === "open" ? "not-closed" : end.end === "reset" ? "reset" : "wrong-answer";
    throw new SoakError(kind, `after COMPLETE: ${end.total} bytes, connection ${end.end}`);
  }
}

/** Session `index`'s student id: 8 digits, distinct per index. */
export function sessionStudentId(index: number): number {
  return 30_000_000 + index;
}

/**
 * Runs Task 1 session `index` (`sbmt` when `submit`, per packet or
 * re-chunked by turns) against 127.0.0.1:`port`; throws a `SoakError` when
 * it fails or scores under 50.
 */
export async function runTask1Session(
  port: number,
  index: number,
  submit: boolean,
  timeoutMs: number,
): Promise<void> {
  const keyword = submit ? "sbmt" : "test";
  const studentId = sessionStudentId(index);
  const style = index % 2 === 0 ? "per-packet" : "rechunk";
  const result = await runDecryptClient({
    hostname: "127.0.0.1",
    port,
    studentId,
    keyword,
    timeoutMs,
    style,
  })
    .catch((error) => {
      throw new SoakError(errorKind(error), `${keyword} #${index}: ${error}`, { cause: error });
    });
  const line = `${keyword} #${index}: ${result.keyword} ${result.score}: ${result.message}`;
  if (result.keyword !== "GOOD" || result.score !== 50) throw new SoakError("bad-score", line);
  if (submit && !/REGISTERED/.test(result.message)) throw new SoakError("not-stored", line);
}

/** How one group of well-formed clients did. */
export interface GroupResult {
  /** Clients started. */
  clients: number;
  /** Clients that finished with every check passed. */
  ok: number;
  /** Most clients open at the same time. */
  peakOpen: number;
  /**
   * Time per passing client, ms: a Task 2 client's from the moment every
   * client was connected (its requests and COMPLETE), a Task 1 session's whole.
   */
  ms: LatencySummary;
  /** When the group's last client ended, ms after the run began. */
  doneMs: number;
}

/** What a soak run found (see {@linkcode runSoak}). */
export interface SoakResult {
  task2: GroupResult;
  task1: GroupResult;
  /** A fresh Task 2 client after everything else ended, alone (the unloaded baseline). */
  freshTask2: GroupResult;
  /** A fresh Task 1 session after that, alone. */
  freshTask1: GroupResult;
  /** Errors of the well-formed clients, by `group kind`. */
  errors: Tally;
  /** How each malformed client ended, by `kind: outcome`. */
  malformed: Tally;
  /** Malformed clients whose outcome was not the expected one. */
  unexpected: number;
  /** Most malformed clients connected at once. */
  malformedPeakOpen: number;
  /** Milliseconds from the first connection to the last client's end. */
  durationMs: number;
  /** True when the hard time limit cut the run short. */
  capped: boolean;
}

/** What to run, against which ports (times in ms). */
export interface SoakOptions extends Task2Timing {
  task2Port: number;
  task1Port: number;
  task2Clients: number;
  task1Sessions: number;
  malformed: number;
  /** How long slow and silent malformed clients keep their connection. */
  holdMs: number;
  /** Pause between a slowloris client's bytes. */
  trickleMs: number;
  /** Hard limit on the whole run. */
  limitMs: number;
  /** Every `submitEvery`-th Task 1 session submits (`sbmt`); 0: none. */
  submitEvery: number;
  /** Largest FILE body of a well-formed client, bytes. */
  maxFileBytes: number;
  seed: number;
  /** Whether student `sid`'s best Task 1 score is 50 in the database, if it can be checked. */
  isStored?: (sid: number) => boolean | Promise<boolean>;
  /** Progress lines: one per stage. */
  progress?: (line: string) => void;
  /** Receives the counts so far every `countsMs` (default 500) while clients run. */
  onCounts?: (counts: SoakCounts) => void;
  countsMs?: number;
}

/** How far a soak has got: for a live line, and for the summary on Ctrl-C. */
export interface SoakCounts {
  /** Well-formed Task 2 clients that passed, and how many there are. */
  task2: { ok: number; of: number };
  /** Task 1 sessions that passed, and how many there are. */
  task1: { ok: number; of: number };
  /** Malformed clients that have ended, and how many there are. */
  malformed: { ended: number; of: number };
  /** Errors among the well-formed clients so far, by kind. */
  errors: { label: string; count: number }[];
  /** Milliseconds since the clients started. */
  elapsedMs: number;
}

/** One line of counts: `12.0 s  Task 2 980/1000 ok  Task 1 200/200 ok  malformed 150/150 ended  0 errors`. */
export function formatCounts(counts: SoakCounts): string {
  const errors = counts.errors.reduce((sum, e) => sum + e.count, 0);
  const { task1, task2, malformed } = counts;
  return `${(counts.elapsedMs / 1000).toFixed(1)} s  Task 2 ${task2.ok}/${task2.of} ok  ` +
    `Task 1 ${task1.ok}/${task1.of} ok  malformed ${malformed.ended}/${malformed.of} ended  ${errors} errors`;
}

/** Counts and times one group of well-formed clients. */
class Group {
  readonly gauge = new Gauge();
  readonly #times: number[] = [];
  #doneMs = 0;

  constructor(readonly clients: number, readonly started = performance.now()) {}

  /** Clients that passed so far. */
  get ok(): number {
    return this.#times.length;
  }

  /** Runs one client, `work` resolving its timed part in ms; counts a failure in `errors`. */
  async run(label: string, errors: Tally, stopped: () => boolean, work: () => Promise<number>) {
    try {
      this.#times.push(await work());
      return true;
    } catch (error) {
      const kind = stopped() ? "unfinished" : errorKind(error);
      errors.add(`${label} ${kind}`, error instanceof Error ? error.message : String(error));
      return false;
    } finally {
      this.#doneMs = Math.max(this.#doneMs, performance.now() - this.started);
    }
  }

  result(): GroupResult {
    const { clients, gauge } = this;
    const ms = summarize(this.#times);
    return { clients, ok: this.ok, peakOpen: gauge.peak, ms, doneMs: this.#doneMs };
  }
}

/** Runs the soak; never throws for what a server does (that goes into the result). */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const progress = options.progress ?? (() => {});
  const random = seededRandom(options.seed);
  const open = new OpenConns();
  const [errors, malformed, malformedGauge] = [new Tally(), new Tally(), new Gauge()];
  let unexpected = 0;
  /** A Task 2 client; its time counts from `ready` (the barrier) on. */
  const task2Client = (
    group: Group,
    label: string,
    name: string,
    ready: () => Promise<void>,
    conns = open,
  ) => {
    const plan = planTask2(random, options.maxFileBytes);
    return group.run(label, errors, () => conns.stopped, async () => {
      using peer = await conns.open(options.task2Port, group.gauge, options.timeoutMs);
      let from = NaN;
      const start = () => ready().then(() => void (from = performance.now()));
      await runTask2Client(peer, name, plan, options, start);
      if (conns.stopped) throw new SoakError("unfinished", "stopped at the time limit");
      return performance.now() - from;
    });
  };
  const task1Session = (group: Group, label: string, index: number, submit: boolean) =>
    group.run(label, errors, () => false, async () => {
      group.gauge.step(1);
      const from = performance.now();
      try {
        await runTask1Session(options.task1Port, index, submit, options.timeoutMs);
        return performance.now() - from;
      } finally {
        group.gauge.step(-1);
      }
    });

  const started = performance.now();
  const task2 = new Group(options.task2Clients, started);
  using ready = new Barrier(options.task2Clients, options.limitMs);
  const task2Runs = Array.from({ length: options.task2Clients }, async (_, index) => {
    let arrived = false;
    await task2Client(task2, "task2", `Soak${index + 1}`, () => {
      arrived = true;
      ready.arrive();
      return ready.settled.then(() => {});
    });
    if (!arrived) ready.leave();
  });
  const task1 = new Group(options.task1Sessions, started);
  const stored: number[] = [];
  const task1Runs = Array.from({ length: options.task1Sessions }, async (_, index) => {
    const submit = options.submitEvery > 0 &&
      index % options.submitEvery === options.submitEvery - 1;
    if (await task1Session(task1, "task1", index, submit) && submit) {
      stored.push(sessionStudentId(index));
    }
  });
  const context = { ...options, open, gauge: malformedGauge, random };
  let malformedEnded = 0;
  const bad = Array.from({ length: options.malformed }, async (_, index) => {
    const { kind, outcome } = await runMalformed(context, index);
    malformedEnded++;
    malformed.add(`${kind.name}: ${outcome.label}`, outcome.detail);
    if (!kind.expected.test(outcome.label)) unexpected++;
  });
  const { task2Clients, task1Sessions } = options;
  progress(
    `started ${task2Clients} Task 2 clients, ${task1Sessions} Task 1 sessions, ${bad.length} malformed`,
  );

  const counts = (): SoakCounts => ({
    task2: { ok: task2.ok, of: options.task2Clients },
    task1: { ok: task1.ok, of: options.task1Sessions },
    malformed: { ended: malformedEnded, of: options.malformed },
    errors: errors.entries().map(({ label, count }) => ({ label, count })),
    elapsedMs: performance.now() - started,
  });
  const ticker = options.onCounts &&
    setInterval(() => options.onCounts!(counts()), options.countsMs ?? 500);
  const all = Promise.all([...task2Runs, ...task1Runs, ...bad]).finally(() =>
    clearInterval(ticker)
  );
  let capped = false;
  const timer = setTimeout(() => {
    capped = true;
    progress(`time limit of ${options.limitMs} ms reached: closing ${open.size} connections`);
    open.stop();
  }, options.limitMs);
  // After the limit, Task 1 sessions still end within their own time-out.
  await all;
  clearTimeout(timer);
  const durationMs = performance.now() - started;
  progress(`all clients ended after ${Math.round(durationMs)} ms`);

  for (const sid of options.isStored ? stored : []) {
    if (!await options.isStored!(sid)) {
      errors.add("task1 not-stored", `sbmt ${sid}: best Task 1 score in the database is not 50`);
    }
  }

  // Both servers still serve a fresh client; alone, their times are the unloaded baseline.
  const fresh2 = new Group(1);
  await task2Client(fresh2, "fresh-task2", "Fresh", () => Promise.resolve(), new OpenConns());
  const fresh1 = new Group(1);
  await task1Session(fresh1, "fresh-task1", options.task1Sessions, false);

  return {
    task2: task2.result(),
    task1: task1.result(),
    freshTask2: fresh2.result(),
    freshTask1: fresh1.result(),
    errors,
    malformed,
    unexpected,
    malformedPeakOpen: malformedGauge.peak,
    durationMs,
    capped,
  };
}
