/**
 * Time limits for socket operations, all on one clock: {@linkcode now}
 * (`performance.now()`, monotonic). {@linkcode Deadline} is the one
 * deadline type, moved cheaply on every chunk; {@linkcode withTimeout}
 * bounds one promise with a `Deadline`.
 *
 * @module
 */

import { TimeoutError } from "./errors.ts";

/**
 * Settles like `promise`, or rejects with a {@linkcode TimeoutError} saying
 * `what` timed out once `ms` milliseconds pass first. `onTimeout` runs just
 * before the rejection: use it to close the socket so the abandoned operation
 * settles too. The timer is always cleared, so nothing leaks.
 *
 * @example
 * ```ts
 * import { withTimeout } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await withTimeout(Promise.resolve(7), 100, "a number"), 7);
 * await assert.rejects(
 *   withTimeout(new Promise(() => {}), 10, "a packet"),
 *   { name: "TimeoutError", message: "Timed out after 10 ms waiting for a packet" },
 * );
 * ```
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string | (() => string),
  onTimeout?: () => void,
): Promise<T> {
  if (!Number.isFinite(ms)) return promise;
  const deadline = new Deadline(() => {});
  const expired = new Promise<never>((_, reject) => {
    deadline.set(ms, () => {
      onTimeout?.();
      const waited = typeof what === "string" ? what : what();
      reject(new TimeoutError(`Timed out after ${ms} ms waiting for ${waited}`));
    });
  });
  return Promise.race([promise, expired]).finally(() => deadline.clear());
}

/**
 * The clock every deadline in this package is on: milliseconds from
 * `performance.now()`, monotonic (a wall-clock step moves no deadline).
 * Within one thread only; a deadline sent to another thread is sent as
 * milliseconds left.
 *
 * @example
 * ```ts
 * import { now } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const before = now();
 * await new Promise((resolve) => setTimeout(resolve, 5));
 * assert.ok(now() > before);
 * ```
 */
export const now = (): number => performance.now();

/**
 * Closes a connection, a listener or anything else closable, ignoring the
 * error for one that is already closed. Deno closes a connection by itself
 * once its readable side reaches end of stream.
 *
 * @example
 * ```ts
 * import { closeQuietly } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * let closed = 0;
 * const resource = { close() { if (closed++) throw new Error("BadResource"); } };
 * closeQuietly(resource);
 * closeQuietly(resource);
 * assert.equal(closed, 2);
 * ```
 */
export function closeQuietly(resource: { close(): void }): void {
  try {
    resource.close();
  } catch {
    // Already closed: nothing to do.
  }
}

/** An armed wake-up of a {@linkcode Deadline}: when, and what to call (gone once cancelled). */
interface Wake {
  at: number;
  fire: (() => void) | undefined;
}

/**
 * The wake-ups of every {@linkcode Deadline} of this thread, on one
 * `setTimeout` set for the earliest: a pending `setTimeout` costs about
 * 2.4 KiB of memory, and an idle connection holds a deadline all along.
 * A binary heap on `at`; cancelled wake-ups stay until they come up, or
 * until the heap is rebuilt once they outnumber the live ones.
 */
class WakeQueue {
  #heap: Wake[] = [];
  #live = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #running = false;

  /** Calls `fire` at `at` (on the {@linkcode now} clock), unless cancelled first. */
  add(at: number, fire: () => void): Wake {
    const wake = { at, fire };
    this.#live++;
    this.#push(wake);
    this.#schedule();
    return wake;
  }

  /** Cancels `wake`; with nothing left to wait for, the timer goes too. */
  cancel(wake: Wake): void {
    if (wake.fire === undefined) return;
    wake.fire = undefined;
    if (--this.#live === 0) this.#reset();
    else if (this.#heap.length > 64 + 2 * this.#live) this.#compact();
  }

  #reset(): void {
    this.#heap = [];
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #compact(): void {
    const live = this.#heap.filter((wake) => wake.fire !== undefined);
    this.#heap = [];
    for (const wake of live) this.#push(wake);
  }

  #schedule(): void {
    const first = this.#heap[0];
    if (first === undefined || this.#running) return;
    if (this.#timer !== undefined && this.#timerAt <= first.at) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = first.at;
    // setTimeout takes at most 2^31 - 1 ms; a later wake-up waits for another round.
    const ms = Math.min(2 ** 31 - 1, Math.max(0, Math.ceil(first.at - performance.now())));
    this.#timer = setTimeout(this.#run, ms);
  }

  readonly #run = (): void => {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#running = true;
    // A callback that throws must not hold back the others: the first error
    // is thrown once every due wake-up has run and the next is scheduled.
    let failure: { error: unknown } | undefined;
    try {
      // A timer may fire a little early; a Deadline re-arms for what is left.
      const until = performance.now() + 1;
      while (this.#heap.length > 0 && this.#heap[0]!.at <= until) {
        const wake = this.#pop();
        const fire = wake.fire;
        if (fire === undefined) continue;
        wake.fire = undefined;
        this.#live--;
        try {
          fire();
        } catch (error) {
          failure ??= { error };
        }
      }
    } finally {
      this.#running = false;
      if (this.#live === 0) this.#reset();
      else this.#schedule();
    }
    if (failure) throw failure.error;
  };

  #push(wake: Wake): void {
    const heap = this.#heap;
    let i = heap.push(wake) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= wake.at) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = wake;
  }

  #pop(): Wake {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= heap.length) break;
        const right = left + 1;
        const child = right < heap.length && heap[right]!.at < heap[left]!.at ? right : left;
        if (heap[child]!.at >= last.at) break;
        heap[i] = heap[child]!;
        i = child;
      }
      heap[i] = last;
    }
    return top;
  }
}

/** This thread's wake-ups (every Worker has its own module instance, so its own queue). */
const wakes = new WakeQueue();

/**
 * The one deadline type: runs `callback` once the deadline set last passes,
 * unless it is cleared first. It is cheap to move: setting a later deadline
 * does not touch its wake-up, which, when it comes early, re-arms itself
 * for the rest, so a read loop can renew its idle limit on every chunk for
 * the price of one `performance.now()`. Every deadline of a thread shares
 * one `setTimeout`, set for the earliest wake-up. One `Deadline` can serve
 * reads and writes that never overlap (pass a callback to `set`). Dispose
 * it to cancel its wake-up.
 *
 * @example
 * ```ts
 * import { Deadline } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * let fired = 0;
 * using timer = new Deadline(() => fired++);
 * timer.set(5);
 * timer.set(10); // moves the deadline; still one wake-up
 * await new Promise((resolve) => setTimeout(resolve, 40));
 * assert.equal(fired, 1);
 * timer.set(5);
 * timer.clear();
 * timer.set(Infinity); // no deadline: never fires
 * await new Promise((resolve) => setTimeout(resolve, 20));
 * assert.equal(fired, 1);
 * ```
 */
export class Deadline implements Disposable {
  #callback: () => void;
  #due = Number.POSITIVE_INFINITY;
  #wake: Wake | undefined;

  /** A timer that calls `callback` when a deadline passes. */
  constructor(callback: () => void) {
    this.#callback = callback;
  }

  /**
   * Sets the deadline `ms` milliseconds from now, replacing any other;
   * `callback`, if given, replaces the one to call (so one timer can serve
   * several kinds of wait that never overlap).
   */
  set(ms: number, callback?: () => void): void {
    if (callback !== undefined) this.#callback = callback;
    if (!Number.isFinite(ms)) return this.clear(); // no deadline at all
    this.#due = performance.now() + ms;
    if (this.#wake?.fire !== undefined && this.#wake.at <= this.#due) return;
    this.#arm(this.#due);
  }

  /**
   * Cancels the deadline and its wake-up, so nothing is left pending once a
   * wait is over.
   */
  clear(): void {
    this.#due = Number.POSITIVE_INFINITY;
    if (this.#wake !== undefined) wakes.cancel(this.#wake);
    this.#wake = undefined;
  }

  /**
   * Cancels the deadline but, unlike {@linkcode Deadline.clear}, leaves its
   * wake-up armed (it then comes to no effect), so the next
   * {@linkcode Deadline.set} that is no sooner costs nothing: for a
   * deadline set and cancelled around every message. The armed wake-up
   * keeps the event loop alive until it comes: end with `clear()` or
   * dispose.
   */
  disarm(): void {
    this.#due = Number.POSITIVE_INFINITY;
  }

  /** Cancels the deadline and its wake-up. */
  [Symbol.dispose](): void {
    this.clear();
  }

  #arm(at: number): void {
    if (this.#wake !== undefined) wakes.cancel(this.#wake);
    this.#wake = wakes.add(at, this.#fire);
  }

  readonly #fire = (): void => {
    this.#wake = undefined;
    if (this.#due === Number.POSITIVE_INFINITY) return;
    if (this.#due - performance.now() > 1) {
      this.#arm(this.#due);
      return;
    }
    this.#due = Number.POSITIVE_INFINITY;
    this.#callback();
  };
}
