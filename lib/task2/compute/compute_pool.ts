/**
 * A pool of Web Workers that answers FIBONACCI and FACTORIAL requests off
 * the event loop, with a bounded queue and cancellation.
 *
 * - Small `n` (at most {@linkcode INLINE_FIBONACCI} / {@linkcode INLINE_FACTORIAL},
 *   answers of a few thousand digits, well under a millisecond) are computed
 *   inline: a worker hop would cost more than the work.
 * - A job takes one idle worker, or two when two are idle and the answer is
 *   big ({@linkcode PARALLEL_BITS}): then the cores share it. Factorial: one
 *   worker multiplies the odd numbers in (n/2, n], the other computes the
 *   odd parts of (n/2)! (see `oddFactorialParts`), each odd number without
 *   its 5s, so that n! is converted without its trailing zeros (appended as
 *   text). Fibonacci: one worker runs fast doubling while the other
 *   prepares 10^e and its reciprocal; when 10^e is prepared already, both
 *   walk the doubling and square the last two steps' halves side by side
 *   (`fibonacciFromSquares`). Then one worker estimates the
 *   quotient by 10^e (47% of the digits below it, `splitExponent`), which
 *   the other converts to decimal while the first settles the estimate and
 *   converts the rest; the high part's text is then corrected by the
 *   estimate's small error (`joinDecimal`).
 * - At most `queueLimit` jobs wait; one more is refused with
 *   {@linkcode PoolBusyError} (a server answers ERROR busy).
 * - An aborted signal drops a waiting job, or terminates the workers of a
 *   running one (fresh ones start when needed); the promise rejects with
 *   the signal's reason.
 *
 * @module
 */

import {
  answerBits,
  checkN,
  factorial,
  FACTORIAL_LIMIT,
  fibonacci,
  FIBONACCI_LIMIT,
} from "./compute.ts";
import { execute, type Slot } from "./compute_plan.ts";
import type { StepValue } from "./compute_worker.ts";
import { PendingCalls, rebuildError, type RpcReply } from "../../net/worker_rpc.ts";

/** Fibonacci requests with `n` up to this are computed inline. */
export const INLINE_FIBONACCI = 20_000;
/** Factorial requests with `n` up to this are computed inline. */
export const INLINE_FACTORIAL = 2_000;
/** Answers of more bits than this use two workers when two are idle. */
export const PARALLEL_BITS = 1 << 20;

/** One request for the pool; `limit` defaults to the kind's default limit. */
export interface ComputeJob {
  /** Which sequence: Fibonacci number or factorial. */
  kind: "fibonacci" | "factorial";
  /** The index: F(n) or n!. */
  n: number;
  /** Largest `n` accepted; the kind's default limit when absent. */
  limit?: number | undefined;
}

/** Options of {@linkcode ComputePool}. */
export interface ComputePoolOptions {
  /** Number of workers; default `navigator.hardwareConcurrency`. */
  size?: number;
  /** How many jobs may wait for a worker; default 64. */
  queueLimit?: number;
  /** Answers of more bits use two workers; default {@linkcode PARALLEL_BITS}. */
  parallelBits?: number;
}

/**
 * The pool's queue is full; try again later (a server answers ERROR busy).
 *
 * @example
 * ```ts
 * import { ComputePool, PoolBusyError } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * await using pool = new ComputePool({ size: 1, queueLimit: 0 });
 * const first = pool.run({ kind: "factorial", n: 20000 });
 * await assert.rejects(pool.run({ kind: "factorial", n: 20000 }), PoolBusyError);
 * assert.equal((await first).length, 77338);
 * ```
 */
export class PoolBusyError extends Error {
  /** Builds the error; `options.cause` is kept as `error.cause`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "PoolBusyError";
  }
}

interface Waiting {
  job: Required<ComputeJob>;
  resolve(text: string): void;
  reject(error: unknown): void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * A pool of compute workers; see the module notes for the policy.
 *
 * @example
 * ```ts
 * import { ComputePool } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * await using pool = new ComputePool({ size: 2, queueLimit: 4 });
 * assert.equal(await pool.run({ kind: "fibonacci", n: 7 }), "13");
 * assert.equal((await pool.run({ kind: "factorial", n: 3000 })).length, 9131);
 * await assert.rejects(pool.run({ kind: "factorial", n: 11, limit: 10 }), {
 *   name: "RequestError",
 * });
 * ```
 */
export class ComputePool implements AsyncDisposable {
  readonly #size: number;
  readonly #queueLimit: number;
  readonly #parallelBits: number;
  readonly #idle: Slot[] = [];
  readonly #busy = new Set<Slot>();
  readonly #queue: Waiting[] = [];
  #closed = false;

  /** Builds the pool; workers start when the first jobs need them. */
  constructor(options: ComputePoolOptions = {}) {
    const size = options.size ?? navigator.hardwareConcurrency;
    const queueLimit = options.queueLimit ?? 64;
    if (!Number.isSafeInteger(size) || size < 1) {
      throw new RangeError(`ComputePool size must be a whole number >= 1, got ${size}`);
    }
    if (!Number.isSafeInteger(queueLimit) || queueLimit < 0) {
      throw new RangeError(`ComputePool queueLimit must be a whole number >= 0, got ${queueLimit}`);
    }
    this.#size = size;
    this.#queueLimit = queueLimit;
    this.#parallelBits = options.parallelBits ?? PARALLEL_BITS;
  }

  /** Jobs waiting for a worker. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Resolves the decimal answer of `job`. Rejects with `RequestError` for
   * `n` out of range, {@linkcode PoolBusyError} when the queue is full, the
   * signal's reason when `signal` aborts first, and `Error` once closed.
   */
  run(job: ComputeJob, signal?: AbortSignal): Promise<string> {
    try {
      const full = { ...job, limit: job.limit ?? defaultLimit(job.kind) };
      checkN(full.kind === "fibonacci" ? "FIBONACCI" : "FACTORIAL", full.n, full.limit);
      signal?.throwIfAborted();
      if (this.#closed) throw new Error("The compute pool is closed");
      if (full.n <= (full.kind === "fibonacci" ? INLINE_FIBONACCI : INLINE_FACTORIAL)) {
        const value = full.kind === "fibonacci" ? fibonacci(full.n) : factorial(full.n);
        return Promise.resolve(value.toString());
      }
      if (this.#queue.length >= this.#queueLimit && !this.#canStart()) {
        throw new PoolBusyError(
          `The compute queue is full (${this.#queueLimit} jobs waiting); try again later`,
        );
      }
      return new Promise((resolve, reject) => {
        const waiting: Waiting = { job: full, resolve, reject, signal, onAbort: () => {} };
        waiting.onAbort = () => this.#abort(waiting);
        signal?.addEventListener("abort", waiting.onAbort, { once: true });
        this.#queue.push(waiting);
        this.#pump();
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Terminates every worker and rejects waiting and running jobs. */
  close(): Promise<void> {
    this.#closed = true;
    const error = new Error("The compute pool is closed");
    for (const waiting of this.#queue.splice(0)) this.#settle(waiting, error);
    for (const slot of [...this.#idle.splice(0), ...this.#busy]) this.#kill(slot, error);
    return Promise.resolve();
  }

  /** Same as {@linkcode ComputePool.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #canStart(): boolean {
    return this.#idle.length > 0 || this.#idle.length + this.#busy.size < this.#size;
  }

  #take(): Slot | undefined {
    const idle = this.#idle.pop();
    if (idle !== undefined || this.#idle.length + this.#busy.size >= this.#size) return idle;
    const worker = new Worker(new URL("./compute_worker.ts", import.meta.url), {
      type: "module",
    });
    const calls = new PendingCalls<StepValue>({
      rebuild: (sent) =>
        rebuildError({ ...sent, message: `A compute worker failed: ${sent.message}` }),
    });
    const slot: Slot = { worker, prepared: [], calls };
    worker.onmessage = (event: MessageEvent<RpcReply<StepValue>>) => calls.settle(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      this.#kill(slot, new Error(`A compute worker failed: ${event.message}`));
    };
    return slot;
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#canStart()) {
      const waiting = this.#queue.shift()!;
      const slots = [this.#take()!];
      if (answerBits(waiting.job.kind, waiting.job.n) > this.#parallelBits && this.#canStart()) {
        slots.push(this.#take()!);
      }
      for (const slot of slots) this.#busy.add(slot);
      running.set(waiting, slots);
      execute(waiting.job, slots).then(
        (text) => this.#finish(waiting, slots, text),
        (error) => this.#finish(waiting, slots, error, true),
      );
    }
  }

  #finish(waiting: Waiting, slots: Slot[], result: unknown, failed = false): void {
    if (!running.delete(waiting)) return; // aborted or closed meanwhile
    for (const slot of slots) {
      // A slot killed meanwhile (worker error) is no longer busy: drop it.
      if (this.#busy.delete(slot) && !this.#closed) this.#idle.push(slot);
    }
    if (failed) this.#settle(waiting, result);
    else this.#settle(waiting, undefined, result as string);
    this.#pump();
  }

  #abort(waiting: Waiting): void {
    const reason = waiting.signal?.reason;
    const index = this.#queue.indexOf(waiting);
    if (index >= 0) this.#queue.splice(index, 1);
    const slots = running.get(waiting);
    running.delete(waiting);
    for (const slot of slots ?? []) this.#kill(slot, reason);
    this.#settle(waiting, reason);
    this.#pump();
  }

  #kill(slot: Slot, error: unknown): void {
    slot.worker.terminate();
    slot.dead = error instanceof Error ? error : new Error(String(error));
    this.#busy.delete(slot);
    const index = this.#idle.indexOf(slot);
    if (index >= 0) this.#idle.splice(index, 1);
    slot.calls.rejectAll(slot.dead);
  }

  #settle(waiting: Waiting, error: unknown, text?: string): void {
    waiting.signal?.removeEventListener("abort", waiting.onAbort);
    running.delete(waiting);
    if (text !== undefined) waiting.resolve(text);
    else waiting.reject(error);
  }
}

const running = new WeakMap<Waiting, Slot[]>();

function defaultLimit(kind: ComputeJob["kind"]): number {
  return kind === "fibonacci" ? FIBONACCI_LIMIT : FACTORIAL_LIMIT;
}
