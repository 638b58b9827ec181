/**
 * The Web Worker behind {@linkcode ComputePool}: it runs one step of a
 * calculation per message and posts the result back. BigInts and strings
 * travel by structured clone. Messages are {@linkcode WorkerStep} with an
 * `id`; the reply is `{ id, value }` or `{ id, error: { name, message } }`.
 *
 * Not part of the public surface: only compute_pool.ts starts it.
 *
 * @module
 */

import {
  factorial,
  fibonacci,
  fibonacciDouble,
  fibonacciFromSquares,
  fibonacciPair,
  oddFactorialParts,
  oddProduct,
} from "./compute.ts";
import { estimateQuotient, prepareSplit, settleQuotient, toDecimal } from "./decimal.ts";
import { replyTo } from "../../net/worker_rpc.ts";
import { setPriority } from "node:os";

/** One step a worker runs; `limit` checks were done by the pool already. */
export type WorkerStep =
  | { op: "answer"; kind: "fibonacci" | "factorial"; n: number }
  | { op: "fibonacci"; n: number }
  /**
   * F(m)^2 (`which` 0) or F(m-1)^2 (1), by fast doubling or, given
   * `squares` = [F(m/2)^2, F(m/2 - 1)^2], by one more step.
   */
  | { op: "fibonacciSquare"; m: number; which: 0 | 1; squares?: [bigint, bigint] | undefined }
  /** F(n) from [F(n/2)^2, F(n/2 - 1)^2]. */
  | { op: "fibonacciJoin"; n: number; squares: [bigint, bigint] }
  | { op: "oddProduct"; low: number; high: number; withoutFives: boolean }
  | { op: "oddFactorialParts"; m: number; withoutFives: boolean }
  | { op: "multiply"; factors: bigint[]; shift: number }
  /** `a` times the low `at` bits of `b`, or times the rest of `b` (`high`). */
  | { op: "multiplySlice"; a: bigint; b: bigint; at: number; high: boolean }
  /** `(high * 2^at + low) * 2^shift`: the two slices' products joined. */
  | { op: "join"; high: bigint; low: bigint; at: number; shift: number }
  /** 5^e and a reciprocal for splitting numbers of up to `digits` digits by 10^e. */
  | { op: "prepare"; e: number; digits: number }
  /** About floor(x / 10^e) (`estimateQuotient`). */
  | { op: "quotient"; x: bigint; e: number }
  /** `[delta, text]`: the quotient is `estimate + delta`, `text` the rest in `e` digits. */
  | { op: "lowDecimal"; x: bigint; e: number; estimate: bigint }
  | { op: "decimal"; x: bigint; width: number };

/** What each step resolves to. */
export type StepValue = string | bigint | [bigint, bigint] | [bigint, string] | null;

/** Runs one step (exported for tests; the worker calls it per message). */
export function runStep(step: WorkerStep): StepValue {
  switch (step.op) {
    case "answer": {
      const value = step.kind === "fibonacci"
        ? fibonacci(step.n, Infinity)
        : factorial(step.n, Infinity);
      return toDecimal(value);
    }
    case "fibonacci":
      return fibonacci(step.n, Infinity);
    case "fibonacciSquare": {
      const { m, squares } = step;
      const pair = squares === undefined
        ? fibonacciPair(m)
        : fibonacciDouble(Math.floor(m / 2), squares[0], squares[1], m % 2 === 1);
      const value = pair[step.which];
      return value * value;
    }
    case "fibonacciJoin":
      return fibonacciFromSquares(step.n, step.squares[0], step.squares[1]);
    case "oddProduct":
      return oddProduct(step.low, step.high, step.withoutFives);
    case "oddFactorialParts":
      return oddFactorialParts(step.m, step.withoutFives);
    case "multiply":
      return step.factors.reduce((product, factor) => product * factor, 1n) <<
        BigInt(step.shift);
    case "multiplySlice":
      return step.a * (step.high ? step.b >> BigInt(step.at) : BigInt.asUintN(step.at, step.b));
    case "join":
      return ((step.high << BigInt(step.at)) + step.low) << BigInt(step.shift);
    case "prepare":
      prepareSplit(step.e, step.digits);
      return null;
    case "quotient":
      return estimateQuotient(step.x, step.e);
    case "lowDecimal": {
      const [delta, lo] = settleQuotient(step.x, step.e, step.estimate);
      return [delta, toDecimal(lo, step.e)];
    }
    case "decimal":
      return toDecimal(step.x, step.width);
  }
}

/**
 * The Linux nice value of a compute thread: the thread that reads and
 * answers small requests (nice 0) goes first when the cores are busy, and
 * a long calculation takes what is left.
 */
export const COMPUTE_NICE = 10;

/**
 * Lowers the calling thread's priority to {@linkcode COMPUTE_NICE}, best
 * effort, and says whether it did. Only on Linux, where `setpriority(0)`
 * acts on the calling thread alone (elsewhere it would slow the whole
 * process), and only with `--allow-sys=setPriority` already granted (asking
 * would prompt on a terminal).
 */
export function lowerThreadPriority(): boolean {
  if (Deno.build.os !== "linux") return false;
  const granted = Deno.permissions.querySync({ name: "sys", kind: "setPriority" }).state;
  if (granted !== "granted") return false;
  try {
    setPriority(0, COMPUTE_NICE);
    return true;
  } catch {
    return false; // a sandbox may refuse it; the thread then runs at the usual priority
  }
}

// Inside a worker `self` is the worker scope and `window` is undefined.
if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined") {
  // The worker scope, typed here without the `deno.worker` lib reference
  // (a triple-slash directive JSR refuses), as score_worker.ts does.
  const scope = globalThis as unknown as {
    onmessage: ((event: MessageEvent<{ id: number; step: WorkerStep }>) => void) | null;
    postMessage(message: unknown): void;
  };
  lowerThreadPriority();
  scope.onmessage = async (event) => {
    const { id, step } = event.data;
    scope.postMessage(await replyTo(id, () => runStep(step)));
  };
}
