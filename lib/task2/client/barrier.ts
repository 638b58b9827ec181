/**
 * The test client's concurrency check: every client waits, with a time
 * limit, until every client has its UUID before sending its first request.
 * A server that serves one client at a time never greets the second client
 * while the first one waits, so the limit passes.
 *
 * @module
 */

/**
 * A one-shot barrier for `parties` clients. The time limit starts when the
 * first client arrives; a client that will never arrive (it could not
 * connect, or got no UUID) calls {@linkcode Barrier.leave}.
 *
 * @example
 * ```ts
 * import { Barrier } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * using barrier = new Barrier(2, 1000);
 * barrier.arrive();
 * barrier.leave();
 * assert.equal(await barrier.settled, true);
 *
 * using late = new Barrier(2, 5);
 * late.arrive();
 * assert.equal(await late.settled, false); // the second never came
 * ```
 */
export class Barrier implements Disposable {
  readonly #limitMs: number;
  #missing: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #resolve!: (all: boolean) => void;
  #done = false;
  /** Resolves `true` once every client arrived or left, `false` when the limit passed first. */
  readonly settled: Promise<boolean>;

  /** A barrier for `parties` clients and a limit of `limitMs` from the first arrival. */
  constructor(parties: number, limitMs: number) {
    this.#missing = parties;
    this.#limitMs = limitMs;
    this.settled = new Promise((resolve) => (this.#resolve = resolve));
    if (parties <= 0) this.#finish(true);
  }

  /** Whether the limit passed before every client came. */
  get expired(): boolean {
    return this.#done && this.#missing > 0;
  }

  /** A client has its UUID and waits. */
  arrive(): void {
    if (this.#timer === undefined && !this.#done) {
      this.#timer = setTimeout(() => this.#finish(false), this.#limitMs);
    }
    this.leave();
  }

  /** A client will never arrive; the others need not wait for it. */
  leave(): void {
    this.#missing--;
    if (this.#missing <= 0) this.#finish(true);
  }

  #finish(all: boolean): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#timer);
    this.#resolve(all);
  }

  /** Clears the timer (the barrier settles `false` if still open). */
  [Symbol.dispose](): void {
    this.#finish(false);
  }
}
