/**
 * The two Task 2 calculations, exact in BigInt: Fibonacci numbers by fast
 * doubling and factorials by a product tree. Each has a default limit on
 * `n` (F(10^7) has 2,089,877 digits, 10^6! 5,565,709) that a caller may
 * lower or raise; answers this large belong in the worker pool
 * (compute_pool.ts), which also splits them across cores.
 *
 * @module
 */

import { RequestError } from "./errors.ts";

/**
 * The default largest `n` for F(n): F(10,000,000) has 2,089,877 digits.
 */
export const FIBONACCI_LIMIT = 10_000_000;

/**
 * The default largest `n` for n!: 1,000,000! has 5,565,709 digits.
 *
 * @example
 * ```ts
 * import { factorial, FACTORIAL_LIMIT } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => factorial(FACTORIAL_LIMIT + 1), { name: "RequestError" });
 * ```
 */
export const FACTORIAL_LIMIT = 1_000_000;

/**
 * Throws {@linkcode RequestError} unless `n` is a whole number in
 * 0..`limit`; `what` names the request ("FIBONACCI").
 *
 * @example
 * ```ts
 * import { checkN } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * checkN("FACTORIAL", 10, 100);
 * assert.throws(() => checkN("FACTORIAL", 101, 100), {
 *   message: "FACTORIAL n must be at most 100, got 101",
 * });
 * ```
 */
export function checkN(what: string, n: number, limit: number): void {
  if (!(limit >= 0)) throw new RangeError(`The limit must be a number >= 0, got ${limit}`);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RequestError(`${what} n must be a whole number >= 0, got ${n}`);
  }
  if (n > limit) {
    throw new RequestError(`${what} n must be at most ${limit}, got ${n}`);
  }
}

/**
 * The `n`-th Fibonacci number, F(0) = 0, F(1) = 1, F(n) = F(n-1) + F(n-2),
 * by fast doubling: F(2k) = F(k)(2F(k+1) - F(k)), F(2k+1) = F(k)^2 + F(k+1)^2.
 * Throws {@linkcode RequestError} for `n` outside 0..`limit` (default
 * {@linkcode FIBONACCI_LIMIT}).
 *
 * @example
 * ```ts
 * import { fibonacci } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fibonacci(0), 0n);
 * assert.equal(fibonacci(1), 1n);
 * assert.equal(fibonacci(7), 13n);
 * assert.throws(() => fibonacci(250000, 100000), {
 *   name: "RequestError",
 *   message: "FIBONACCI n must be at most 100000, got 250000",
 * });
 * ```
 */
export function fibonacci(n: number, limit: number = FIBONACCI_LIMIT): bigint {
  checkN("FIBONACCI", n, limit);
  if (n === 0) return 0n;
  let a = 0n; // F(k)
  let b = 1n; // F(k+1)
  // n = 2k or 2k + 1 with k = n >> 1; the last step needs only F(n).
  const k = Math.floor(n / 2);
  for (let bit = 31 - Math.clz32(k); k > 0 && bit >= 0; bit--) {
    const twice = a * (2n * b - a); // F(2k)
    const next = a * a + b * b; // F(2k+1)
    if ((k >>> bit) & 1) {
      a = next;
      b = twice + next;
    } else {
      a = twice;
      b = next;
    }
  }
  return n % 2 === 0 ? a * (2n * b - a) : a * a + b * b;
}

/**
 * The product `low * (low + 1) * ... * high` (1 when `high < low`) as a
 * balanced tree, so the big multiplications are between numbers of similar
 * size. The worker pool computes two halves of `n!` with it on two cores.
 *
 * @example
 * ```ts
 * import { productRange } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(productRange(4, 6), 120n);
 * assert.equal(productRange(5, 4), 1n);
 * ```
 */
export function productRange(low: number, high: number): bigint {
  if (high < low) return 1n;
  return product(low, high);
}

function product(low: number, high: number): bigint {
  if (high - low < 16) {
    let result = 1n;
    for (let i = low; i <= high; i++) result *= BigInt(i);
    return result;
  }
  const middle = Math.floor((low + high) / 2);
  return product(low, middle) * product(middle + 1, high);
}

/**
 * `n!` with 0! = 1, computed as a balanced product tree. Throws
 * {@linkcode RequestError} for `n` outside 0..`limit` (default
 * {@linkcode FACTORIAL_LIMIT}).
 *
 * @example
 * ```ts
 * import { factorial } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(factorial(0), 1n);
 * assert.equal(factorial(6), 720n);
 * assert.throws(() => factorial(-1), { name: "RequestError" });
 * assert.throws(() => factorial(11, 10), { name: "RequestError" });
 * ```
 */
export function factorial(n: number, limit: number = FACTORIAL_LIMIT): bigint {
  checkN("FACTORIAL", n, limit);
  return n < 2 ? 1n : product(2, n);
}

/**
 * The `m` that splits `n!` into `2..m` and `m+1..n` with products of about
 * equal size (by Stirling's ln m! ~ m ln m - m), for two cores.
 *
 * @example
 * ```ts
 * import { factorialSplit, productRange } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const m = factorialSplit(1000);
 * assert.ok(m > 500 && m < 1000);
 * assert.equal(productRange(2, m) * productRange(m + 1, 1000), productRange(2, 1000));
 * ```
 */
export function factorialSplit(n: number): number {
  const lnFactorial = (m: number) =>
    m < 2 ? 0 : m * Math.log(m) - m + 0.5 * Math.log(2 * Math.PI * m);
  const half = lnFactorial(n) / 2;
  let low = 1;
  let high = n;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (lnFactorial(middle) <= half) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * About how many bits the answer has: F(n) ~ phi^n / sqrt(5) and
 * ln n! by Stirling; within a few bits, enough to choose where to split it.
 *
 * @example
 * ```ts
 * import { answerBits } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Math.abs(answerBits("fibonacci", 1000) - 694) <= 2);
 * assert.ok(Math.abs(answerBits("factorial", 1000) - 8530) <= 2);
 * ```
 */
export function answerBits(kind: "fibonacci" | "factorial", n: number): number {
  if (n < 2) return 1;
  if (kind === "fibonacci") {
    return Math.ceil(n * Math.log2((1 + Math.sqrt(5)) / 2) - Math.log2(5) / 2);
  }
  return Math.ceil((n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n)) / Math.LN2);
}
