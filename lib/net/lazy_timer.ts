/**
 * A deadline timer that is cheap to move: setting a later deadline does not
 * touch the underlying `setTimeout`, which, when it fires early, re-arms
 * itself for the rest. A read loop can so renew its idle limit on every
 * chunk for the price of one `performance.now()`.
 *
 * @module
 */

/**
 * Runs `callback` once the deadline set last passes, unless it is cleared
 * first. Dispose it to cancel the underlying timer.
 *
 * @example
 * ```ts
 * import { LazyTimer } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * let fired = 0;
 * using timer = new LazyTimer(() => fired++);
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
export class LazyTimer implements Disposable {
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
