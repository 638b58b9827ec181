/**
 * One soak run against two live servers on 127.0.0.1: well-formed Task 2
 * clients (all connected at once before any request), well-formed Task 1
 * sessions and malformed clients, all at the same time; then one fresh
 * client per server. Bounded: every wait has a time-out, and at `limitMs`
 * every connection still open is closed and its client counted unfinished.
 *
 * @module
 */

import { Gauge, type SoakConn } from "./soak_conn.ts";
import { runMalformed } from "./soak_malformed.ts";
import { seededRandom, SoakError, type SoakResult, Tally } from "./soak_report.ts";
import { runTask1Session, sessionStudentId, sessionSubmits } from "./soak_task1.ts";
import { planTask2, runTask2Client } from "./soak_task2.ts";

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
  /** Progress lines. */
  progress?: (line: string) => void;
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

/** Runs the soak; never throws for what a server does (that goes into the result). */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const progress = options.progress ?? (() => {});
  const random = seededRandom(options.seed);
  const open = new Set<SoakConn>();
  const errors = new Tally();
  const malformed = new Tally();
  const gauges = { task2: new Gauge(), task1: new Gauge(), malformed: new Gauge() };
  let unexpected = 0;
  let capped = false;
  const oks = { task2: 0, task1: 0, fresh: 0 };
  const timing = {
    pauseMs: options.pauseMs,
    bodyPauseMs: options.bodyPauseMs,
    timeoutMs: options.timeoutMs,
  };
  const fail = (group: string, error: unknown) => {
    const kind = error instanceof SoakError ? error.kind : "io";
    errors.add(`${group} ${kind}`, error instanceof Error ? error.message : String(error));
  };

  const started = performance.now();
  const ready = barrier(options.task2Clients);
  const task2 = Array.from({ length: options.task2Clients }, async (_, index) => {
    const plan = planTask2(random, options.maxFileBytes);
    let arrived = false;
    const scope = { gauge: gauges.task2, open };
    try {
      await runTask2Client(options.task2Port, `Soak${index + 1}`, plan, timing, scope, () => {
        arrived = true;
        return ready.arrive();
      });
      oks.task2++;
    } catch (error) {
      fail("task2", error);
    } finally {
      if (!arrived) ready.leave();
    }
  });
  const stored: number[] = [];
  const task1 = Array.from({ length: options.task1Sessions }, async (_, index) => {
    const submit = sessionSubmits(index, options.submitEvery);
    gauges.task1.up();
    try {
      await runTask1Session(options.task1Port, index, submit, options.timeoutMs);
      if (submit) stored.push(sessionStudentId(index));
      oks.task1++;
    } catch (error) {
      fail("task1", error);
    } finally {
      gauges.task1.down();
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
    scope: { gauge: gauges.malformed, open },
    random,
  };
  const bad = Array.from({ length: options.malformed }, async (_, index) => {
    const { kind, outcome } = await runMalformed(context, index);
    malformed.add(`${kind.name}: ${outcome.label}`, outcome.detail);
    if (!kind.expected.test(outcome.label)) unexpected++;
  });
  progress(
    `started ${options.task2Clients} Task 2 clients, ${options.task1Sessions} Task 1 sessions, ` +
      `${options.malformed} malformed clients`,
  );

  const all = Promise.all([...task2, ...task1, ...bad]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      capped = true;
      progress(`time limit of ${options.limitMs} ms reached: closing ${open.size} connections`);
      for (const conn of [...open]) {
        conn.aborted = true;
        conn.close();
      }
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

  // Both servers still serve a fresh client.
  const freshGauge = new Gauge();
  const freshPlan = planTask2(random, options.maxFileBytes);
  await Promise.all([
    runTask2Client(options.task2Port, "Fresh", freshPlan, timing, { gauge: freshGauge, open })
      .then(() => oks.fresh++, (error) => fail("fresh-task2", error)),
    runTask1Session(options.task1Port, options.task1Sessions, false, options.timeoutMs)
      .then(() => oks.fresh++, (error) => fail("fresh-task1", error)),
  ]);

  return {
    task2: { clients: options.task2Clients, ok: oks.task2, peakOpen: gauges.task2.peak },
    task1: { clients: options.task1Sessions, ok: oks.task1, peakOpen: gauges.task1.peak },
    fresh: { clients: 2, ok: oks.fresh, peakOpen: 2 },
    errors,
    malformed,
    unexpected,
    malformedPeakOpen: gauges.malformed.peak,
    durationMs,
    capped,
  };
}
