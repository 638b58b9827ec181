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

/**
 * The one deadline type: runs `callback` once the deadline set last passes,
 * unless it is cleared first. It is cheap to move: setting a later deadline
 * does not touch the underlying `setTimeout`, which, when it fires early,
 * re-arms itself for the rest, so a read loop can renew its idle limit on
 * every chunk for the price of one `performance.now()`. One `Deadline` can
 * serve reads and writes that never overlap (pass a callback to `set`).
 * Dispose it to cancel the underlying timer.
 *
 * @example
 * ```ts
 * import { Deadline } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * let fired = 0;
 * using timer = new Deadline(() => fired++);
 * timer.set(5);
 * timer.set(10); // moves the deadline; still one setTimeout
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
  #firesAt = Number.POSITIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;

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
    if (this.#timer !== undefined && this.#firesAt <= this.#due) return;
    this.#arm(ms);
  }

  /**
   * Cancels the deadline and the underlying timer, so nothing is left
   * pending once a wait is over.
   */
  clear(): void {
    this.#due = Number.POSITIVE_INFINITY;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Cancels the deadline but, unlike {@linkcode Deadline.clear}, leaves the
   * underlying timer armed (it then fires to no effect), so the next
   * {@linkcode Deadline.set} that is no sooner costs no timer at all: for a
   * deadline set and cancelled around every message. The armed timer keeps
   * the event loop alive until it fires: end with `clear()` or dispose.
   */
  disarm(): void {
    this.#due = Number.POSITIVE_INFINITY;
  }

  /** Cancels the deadline and the underlying timer. */
  [Symbol.dispose](): void {
    this.clear();
  }

  #arm(ms: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#firesAt = performance.now() + ms;
    // setTimeout takes at most 2^31 - 1 ms; a later deadline re-arms.
    this.#timer = setTimeout(this.#fire, Math.min(2 ** 31 - 1, Math.max(0, Math.ceil(ms))));
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    if (this.#due === Number.POSITIVE_INFINITY) return;
    const left = this.#due - performance.now();
    if (left > 1) {
      this.#arm(left);
      return;
    }
    this.#due = Number.POSITIVE_INFINITY;
    this.#callback();
  };
}
