/**
 * The one connection budget: how many connections a server handles at
 * once, counted in shared memory so several listener threads (each with its
 * own `serveTcp` on one shared port) apply one limit to their sum.
 *
 * Layout of the `SharedArrayBuffer`: cell 0 is the total in use; cell
 * `1 + h` is what holder `h` (a thread) holds. `take` adds to the total with
 * one `Atomics.add` and keeps the slot only if the total was below the
 * limit, so no two threads can both take the last slot. When a thread dies
 * with connections open, the thread that started it gives back what that
 * thread held with {@linkcode ConnectionBudget.releaseHolder}, so the count
 * stays exact.
 *
 * @module
 */

/** A budget as it is sent to another thread (structured-clone safe). */
export interface SharedBudget {
  /** The shared counters (see the module doc for the layout). */
  buffer: SharedArrayBuffer;
  /** Most connections at once, over every holder. */
  limit: number;
  /** Which holder's cell this copy counts in. */
  holder: number;
}

/**
 * Counts connections against a limit, shareable between threads.
 *
 * @example
 * ```ts
 * import { ConnectionBudget } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const budget = ConnectionBudget.create(2, 2); // 2 connections, 2 threads
 * const other = ConnectionBudget.attach(budget.share(1)); // as another thread would
 * assert.equal(budget.take(), true);
 * assert.equal(other.take(), true);
 * assert.equal(budget.take(), false); // the limit is on the sum
 * assert.equal(budget.used, 2);
 * // The other thread died holding its connection: give it back.
 * assert.equal(budget.releaseHolder(1), 1);
 * assert.equal(budget.take(), true);
 * budget.release();
 * budget.release();
 * assert.equal(budget.used, 0);
 * ```
 */
export class ConnectionBudget {
  /** Most connections at once, over every holder. */
  readonly limit: number;
  readonly #cells: Int32Array;
  readonly #holder: number;

  private constructor(buffer: SharedArrayBuffer, limit: number, holder: number) {
    if (!(limit >= 1)) throw new RangeError(`A connection limit must be >= 1, got ${limit}`);
    this.limit = limit;
    this.#cells = new Int32Array(buffer);
    if (!Number.isInteger(holder) || holder < 0 || holder + 1 >= this.#cells.length) {
      throw new RangeError(`No holder ${holder} in a budget for ${this.#cells.length - 1}`);
    }
    this.#holder = holder;
  }

  /** A new budget of `limit` connections for `holders` threads; this copy is holder 0. */
  static create(limit: number, holders = 1): ConnectionBudget {
    const buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (1 + holders));
    return new ConnectionBudget(buffer, limit, 0);
  }

  /** This budget's copy received from another thread. */
  static attach(shared: SharedBudget): ConnectionBudget {
    return new ConnectionBudget(shared.buffer, shared.limit, shared.holder);
  }

  /** What to send to the thread that is to count as `holder`. */
  share(holder: number): SharedBudget {
    return { buffer: this.#cells.buffer as SharedArrayBuffer, limit: this.limit, holder };
  }

  /** Connections in use, over every holder. */
  get used(): number {
    return Atomics.load(this.#cells, 0);
  }

  /**
   * Takes one slot: true when a connection may be handled (then call
   * {@linkcode ConnectionBudget.release} when it ends), false when the
   * budget is spent.
   */
  take(): boolean {
    if (Atomics.add(this.#cells, 0, 1) >= this.limit) {
      Atomics.sub(this.#cells, 0, 1);
      return false;
    }
    Atomics.add(this.#cells, 1 + this.#holder, 1);
    return true;
  }

  /** Gives back a slot this holder took. */
  release(): void {
    Atomics.sub(this.#cells, 1 + this.#holder, 1);
    Atomics.sub(this.#cells, 0, 1);
  }

  /** Gives back every slot `holder` still holds (a thread that died); returns how many. */
  releaseHolder(holder: number): number {
    const held = Atomics.exchange(this.#cells, 1 + holder, 0);
    Atomics.sub(this.#cells, 0, held);
    return held;
  }
}
