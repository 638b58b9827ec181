/**
 * The two Task 2 calculations, exact in BigInt: Fibonacci numbers by fast
 * doubling and factorials by a product tree. Each has a documented limit on
 * `n` so that one request costs the server only a few milliseconds.
 *
 * @module
 */

import { RequestError } from "./errors.ts";

/**
 * The largest `n` the server computes F(n) for (F(100000) has 20,899 digits).
 */
export const FIBONACCI_LIMIT = 100_000;

/**
 * The largest `n` the server computes n! for (10000! has 35,660 digits).
 *
 * @example
 * ```ts
 * import { factorial, FACTORIAL_LIMIT } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => factorial(FACTORIAL_LIMIT + 1), { name: "RequestError" });
 * ```
 */
export const FACTORIAL_LIMIT = 10_000;

function checkN(what: string, n: number, limit: number): void {
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
 * Throws {@linkcode RequestError} for `n` outside 0..{@linkcode FIBONACCI_LIMIT}.
 *
 * @example
 * ```ts
 * import { fibonacci } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fibonacci(0), 0n);
 * assert.equal(fibonacci(1), 1n);
 * assert.equal(fibonacci(7), 13n);
 * assert.throws(() => fibonacci(250000), {
 *   name: "RequestError",
 *   message: "FIBONACCI n must be at most 100000, got 250000",
 * });
 * ```
 */
export function fibonacci(n: number): bigint {
  checkN("FIBONACCI", n, FIBONACCI_LIMIT);
  let a = 0n; // F(k)
  let b = 1n; // F(k+1)
  for (let bit = 31 - Math.clz32(n); bit >= 0; bit--) {
    const twice = a * (2n * b - a); // F(2k)
    const next = a * a + b * b; // F(2k+1)
    if ((n >>> bit) & 1) {
      a = next;
      b = twice + next;
    } else {
      a = twice;
      b = next;
    }
  }
  return a;
}

function product(low: number, high: number): bigint {
  // Product of low..high inclusive, split in halves so the big
  // multiplications happen between numbers of similar size.
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
 * {@linkcode RequestError} for `n` outside 0..{@linkcode FACTORIAL_LIMIT}.
 *
 * @example
 * ```ts
 * import { factorial } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(factorial(0), 1n);
 * assert.equal(factorial(6), 720n);
 * assert.throws(() => factorial(-1), { name: "RequestError" });
 * ```
 */
export function factorial(n: number): bigint {
  checkN("FACTORIAL", n, FACTORIAL_LIMIT);
  return n < 2 ? 1n : product(2, n);
}
