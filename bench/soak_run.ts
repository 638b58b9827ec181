/**
 * One soak run against two live servers on 127.0.0.1: well-formed Task 2
 * clients (all connected at once before any request), well-formed Task 1
 * sessions and malformed clients, all at the same time; then one fresh
 * client per server. Bounded: every wait has a time-out, and at `limitMs`
 * every connection still open is closed and its client counted unfinished.
 *
 * @module
 */

import { runMalformed } from "./soak_malformed.ts";
import { type LatencySummary, summarize } from "./report.ts";
import {
  Gauge,
  OpenConns,
  planTask2,
  runTask1Session,
  runTask2Client,
  seededRandom,
  sessionStudentId,
  sessionSubmits,
  SoakError,
  Tally,
} from "./soak_clients.ts";

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

/** What to run, against which ports. */
export interface SoakOptions {
  task2Port: number;
  task1Port: number;
  task2Clients: number;
  task1Sessions: number;
  malformed: number;
  /** How long slow and silent malformed clients keep their connection, ms. */
  holdMs: number;
  /** Pause between a slowloris client's bytes, ms. */
  trickleMs: number;
  /** Pause between a keyword and its number, ms. */
  pauseMs: number;
  /** Pause after a FILE length before the body, ms (over the server's quiet gap). */
  bodyPauseMs: number;
  /** Longest wait for one read or write, ms. */
  timeoutMs: number;
  /** Hard limit on the whole run, ms. */
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
  return `${
    (counts.elapsedMs / 1000).toFixed(1)
  } s  Task 2 ${counts.task2.ok}/${counts.task2.of} ok  ` +
    `Task 1 ${counts.task1.ok}/${counts.task1.of} ok  ` +
    `malformed ${counts.malformed.ended}/${counts.malformed.of} ended  ${errors} errors`;
}

/** A barrier that opens once `count` parties have arrived or left. */
function barrier(count: number) {
  const { promise, resolve } = Promise.withResolvers<void>();
  let waiting = count;
  const one = () => {
    if (--waiting <= 0) resolve();
  };
  if (count <= 0) resolve();
  return {
    arrive: () => {
      one();
      return promise;
    },
    leave: one,
  };
}

/** Counts and times one group of well-formed clients. */
class Group {
  readonly gauge = new Gauge();
  readonly #times: number[] = [];
  #ok = 0;
  #doneMs = 0;

  constructor(readonly clients: number, readonly started: number) {}

  /** Clients that passed so far. */
  get ok(): number {
    return this.#ok;
  }

  /** Client finished with every check passed, `ms` after its timed part began. */
  pass(ms: number): void {
    this.#ok++;
    this.#times.push(ms);
  }

  /** A client ended (passed or not). */
  end(): void {
    this.#doneMs = Math.max(this.#doneMs, performance.now() - this.started);
  }

  result(): GroupResult {
    const { clients, gauge } = this;
    return {
      clients,
      ok: this.#ok,
      peakOpen: gauge.peak,
      ms: summarize(this.#times),
      doneMs: this.#doneMs,
    };
  }
}

/** Runs the soak; never throws for what a server does (that goes into the result). */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const progress = options.progress ?? (() => {});
  const random = seededRandom(options.seed);
  const open = new OpenConns();
  const errors = new Tally();
  const malformed = new Tally();
  const malformedGauge = new Gauge();
  let unexpected = 0;
  let capped = false;
  const timing = {
    pauseMs: options.pauseMs,
    bodyPauseMs: options.bodyPauseMs,
    timeoutMs: options.timeoutMs,
  };
  const fail = (group: string, error: unknown) => {
    const kind = error instanceof SoakError ? error.kind : "io";
    errors.add(`${group} ${kind}`, error instanceof Error ? error.message : String(error));
  };
  /** Runs a Task 2 client; its time counts from `ready` (the barrier) on. */
  const task2Client = async (
    group: Group,
    label: string,
    name: string,
    ready: () => Promise<void>,
    conns = open,
  ) => {
    const plan = planTask2(random, options.maxFileBytes);
    let from = NaN;
    try {
      await runTask2Client(
        options.task2Port,
        name,
        plan,
        timing,
        { gauge: group.gauge, open: conns },
        () =>
          ready().then(() => {
            from = performance.now();
          }),
      );
      group.pass(performance.now() - from);
    } catch (error) {
      fail(label, error);
    } finally {
      group.end();
    }
  };
  const task1Session = async (group: Group, label: string, index: number, submit: boolean) => {
    group.gauge.up();
    const from = performance.now();
    try {
      await runTask1Session(options.task1Port, index, submit, options.timeoutMs);
      group.pass(performance.now() - from);
      return true;
    } catch (error) {
      fail(label, error);
      return false;
    } finally {
      group.gauge.down();
      group.end();
    }
  };

  const started = performance.now();
  const task2 = new Group(options.task2Clients, started);
  const ready = barrier(options.task2Clients);
  const task2Runs = Array.from({ length: options.task2Clients }, async (_, index) => {
    let arrived = false;
    await task2Client(task2, "task2", `Soak${index + 1}`, () => {
      arrived = true;
      return ready.arrive();
    });
    if (!arrived) ready.leave();
  });
  const task1 = new Group(options.task1Sessions, started);
  const stored: number[] = [];
  const task1Runs = Array.from({ length: options.task1Sessions }, async (_, index) => {
    const submit = sessionSubmits(index, options.submitEvery);
    if (await task1Session(task1, "task1", index, submit) && submit) {
      stored.push(sessionStudentId(index));
    }
  });
  const context = {
    task1Port: options.task1Port,
    task2Port: options.task2Port,
    holdMs: options.holdMs,
    trickleMs: options.trickleMs,
    pauseMs: options.pauseMs,
    bodyPauseMs: options.bodyPauseMs,
    timeoutMs: options.timeoutMs,
    scope: { gauge: malformedGauge, open },
    random,
  };
  let malformedEnded = 0;
  const bad = Array.from({ length: options.malformed }, async (_, index) => {
    const { kind, outcome } = await runMalformed(context, index);
    malformedEnded++;
    malformed.add(`${kind.name}: ${outcome.label}`, outcome.detail);
    if (!kind.expected.test(outcome.label)) unexpected++;
  });
  progress(
    `started ${options.task2Clients} Task 2 clients, ${options.task1Sessions} Task 1 sessions, ` +
      `${options.malformed} malformed clients`,
  );

  const counts = (): SoakCounts => ({
    task2: { ok: task2.ok, of: options.task2Clients },
    task1: { ok: task1.ok, of: options.task1Sessions },
    malformed: { ended: malformedEnded, of: options.malformed },
    errors: errors.entries().map(({ label, count }) => ({ label, count })),
    elapsedMs: performance.now() - started,
  });
  const ticker = options.onCounts === undefined
    ? undefined
    : setInterval(() => options.onCounts!(counts()), options.countsMs ?? 500);
  const all = Promise.all([...task2Runs, ...task1Runs, ...bad]).finally(() =>
    clearInterval(ticker)
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      capped = true;
      progress(`time limit of ${options.limitMs} ms reached: closing ${open.size} connections`);
      open.stop();
      resolve();
    }, options.limitMs);
  });
  await Promise.race([all, limit]);
  // After the limit, Task 1 sessions still end within their own time-out.
  await all;
  clearTimeout(timer);
  const durationMs = performance.now() - started;
  progress(`all clients ended after ${Math.round(durationMs)} ms`);

  if (options.isStored) {
    for (const sid of stored) {
      if (!await options.isStored(sid)) {
        errors.add("task1 not-stored", `sbmt ${sid}: best Task 1 score in the database is not 50`);
      }
    }
  }

  // Both servers still serve a fresh client; alone, their times are the unloaded baseline.
  const fresh2 = new Group(1, performance.now());
  await task2Client(fresh2, "fresh-task2", "Fresh", () => Promise.resolve(), new OpenConns());
  const fresh1 = new Group(1, performance.now());
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
