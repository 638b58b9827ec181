/**
 * The two Task 2 calculations, exact in BigInt: Fibonacci numbers by fast
 * doubling and factorials by a product tree. Each has a default limit on
 * `n` (F(10^7) has 2,089,877 digits, 10^6! 5,565,709) that a caller may
 * lower or raise; answers this large belong in the worker pool
 * (compute_pool.ts), which also splits them across cores.
 *
 * @module
 */

import { RequestError } from "../protocol/errors.ts";

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
 * by fast doubling with two squarings per step (see the source).
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
  if (n < 2) return BigInt(n);
  // n = 2k or 2k + 1; the last step computes F(n) only:
  // F(2k) = F(k)(F(k) + 2F(k-1)), one multiplication.
  const [f1, f0] = fibonacciPair(Math.floor(n / 2));
  if (n % 2 === 0) return f1 * (f1 + 2n * f0);
  return fibonacciFromSquares(n, f1 * f1, f0 * f0);
}

/**
 * `[F(k), F(k - 1)]` for `k >= 1`, by fast doubling along the bits of `k`
 * with two squarings per step (as GMP does; see {@linkcode fibonacciDouble}).
 * The worker pool runs it on both workers to square the two halves of the
 * last steps side by side.
 *
 * @example
 * ```ts
 * import { fibonacciPair } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(fibonacciPair(10), [55n, 34n]);
 * ```
 */
export function fibonacciPair(k: number): [bigint, bigint] {
  if (!Number.isSafeInteger(k) || k < 1) {
    throw new RangeError(`fibonacciPair needs a whole k >= 1, got ${k}`);
  }
  let f1 = 1n; // F(j), j = 1
  let f0 = 0n; // F(j-1)
  let j = 1;
  let top = 1; // the highest power of two <= k
  while (top * 2 <= k) top *= 2;
  for (let bit = top / 2; bit >= 1; bit /= 2) {
    const odd = Math.floor(k / bit) % 2 === 1;
    [f1, f0] = fibonacciDouble(j, f1 * f1, f0 * f0, odd);
    j = 2 * j + (odd ? 1 : 0);
  }
  return [f1, f0];
}

/**
 * One doubling step from the squares `s1 = F(j)^2` and `s0 = F(j-1)^2`:
 * `[F(m), F(m - 1)]` for `m = 2j` or, when `odd`, `m = 2j + 1`, using
 * F(2j+1) = 4F(j)^2 - F(j-1)^2 + 2(-1)^j and F(2j-1) = F(j)^2 + F(j-1)^2.
 *
 * @example
 * ```ts
 * import { fibonacciDouble } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * // F(5) = 5, F(4) = 3: F(10) = 55, F(9) = 34, F(11) = 89.
 * assert.deepEqual(fibonacciDouble(5, 25n, 9n, false), [55n, 34n]);
 * assert.deepEqual(fibonacciDouble(5, 25n, 9n, true), [89n, 55n]);
 * ```
 */
export function fibonacciDouble(
  j: number,
  s1: bigint,
  s0: bigint,
  odd: boolean,
): [bigint, bigint] {
  const next = 4n * s1 - s0 + (j % 2 === 0 ? 2n : -2n); // F(2j+1)
  const before = s1 + s0; // F(2j-1)
  const even = next - before; // F(2j)
  return odd ? [next, even] : [even, before];
}

/**
 * F(n) for `n >= 2` from the squares `s1 = F(k)^2` and `s0 = F(k-1)^2`,
 * `k = floor(n / 2)`: F(2k) = 3F(k)^2 - 2F(k-1)^2 + 2(-1)^k and
 * F(2k+1) = 4F(k)^2 - F(k-1)^2 + 2(-1)^k. Two squarings instead of one
 * multiplication, but two workers can make them at once.
 *
 * @example
 * ```ts
 * import { fibonacciFromSquares } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(fibonacciFromSquares(10, 25n, 9n), 55n); // F(5)^2, F(4)^2
 * assert.equal(fibonacciFromSquares(11, 25n, 9n), 89n);
 * ```
 */
export function fibonacciFromSquares(n: number, s1: bigint, s0: bigint): bigint {
  const sign = Math.floor(n / 2) % 2 === 0 ? 2n : -2n;
  return n % 2 === 0 ? 3n * s1 - 2n * s0 + sign : 4n * s1 - s0 + sign;
}

/**
 * The product of the odd numbers in `low..high` (1 when there are none), as
 * a balanced tree so the big multiplications are between numbers of similar
 * size. The worker pool computes the top range of `n!` with it on one core.
 * With `withoutFives` each number enters with its factors of 5 divided out
 * (15 as 3, 25 as 1), so that `n!` can be built without its trailing zeros.
 *
 * @example
 * ```ts
 * import { oddProduct } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(oddProduct(4, 9), 315n); // 5 * 7 * 9
 * assert.equal(oddProduct(4, 9, true), 63n); // 1 * 7 * 9
 * assert.equal(oddProduct(6, 6), 1n);
 * ```
 */
export function oddProduct(low: number, high: number, withoutFives = false): bigint {
  const first = low % 2 === 0 ? low + 1 : low;
  const last = high % 2 === 0 ? high - 1 : high;
  return last < first ? 1n : odds(first, (last - first) / 2 + 1, withoutFives);
}

/** The product of `count >= 1` odd numbers from `first` on (5s divided out if asked). */
function odds(first: number, count: number, withoutFives: boolean): bigint {
  if (count <= 16) {
    let result = 1n;
    for (let i = 0; i < count; i++) {
      let k = first + 2 * i;
      if (withoutFives) { while (k % 5 === 0) k /= 5; }
      result *= BigInt(k);
    }
    return result;
  }
  const half = Math.floor(count / 2);
  return odds(first, half, withoutFives) * odds(first + 2 * half, count - half, withoutFives);
}

/**
 * For `m >= 0`: `[oddFactorial(m), oddPart(m!)]`, where oddFactorial(m) is
 * the product of the odd numbers up to `m` and oddPart(m!) is `m!` without
 * its factors of two. Then `n! = oddProduct(floor(n/2) + 1, n) * parts[0] *
 * parts[1] * 2^(n - popcount(n))` with `parts = oddFactorialParts(floor(n/2))`:
 * the worker pool runs the two on two cores. `withoutFives` divides the 5s
 * out of every odd number, as {@linkcode oddProduct} does.
 *
 * @example
 * ```ts
 * import { oddFactorialParts } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(oddFactorialParts(6), [15n, 45n]); // 6! = 720 = 45 * 16
 * ```
 */
export function oddFactorialParts(
  m: number,
  withoutFives = false,
): [oddFactorial: bigint, oddPart: bigint] {
  const tops: number[] = []; // m, floor(m/2), floor(m/4), ... > 0
  for (let top = m; top > 0; top = Math.floor(top / 2)) tops.push(top);
  let running = 1n; // oddFactorial(tops[i])
  let result = 1n; // prod over j >= i of oddFactorial(tops[j])
  for (let i = tops.length - 1; i >= 0; i--) {
    running *= oddProduct((tops[i + 1] ?? 0) + 1, tops[i]!, withoutFives);
    result *= running;
  }
  return [running, result];
}

/**
 * The exponent of 2 in `n!`: `n` minus the number of ones in binary `n`.
 *
 * @example
 * ```ts
 * import { factorialTwos } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(factorialTwos(6), 4); // 720 = 45 * 2^4
 * ```
 */
export function factorialTwos(n: number): number {
  let ones = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) ones += rest % 2;
  return n - ones;
}

/**
 * The exponent of 5 in `n!`, which is its number of trailing zeros (it has
 * more 2s than 5s): `floor(n/5) + floor(n/25) + ...`.
 *
 * @example
 * ```ts
 * import { factorialFives } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(factorialFives(10), 2); // 3628800
 * assert.equal(factorialFives(1_000_000), 249_998);
 * ```
 */
export function factorialFives(n: number): number {
  let fives = 0;
  for (let rest = Math.floor(n / 5); rest > 0; rest = Math.floor(rest / 5)) fives += rest;
  return fives;
}

/**
 * `n!` with 0! = 1. Throws
 * {@linkcode RequestError} for `n` outside 0..`limit` (default
 * {@linkcode FACTORIAL_LIMIT}).
 *
 * Computed as `n! = 2^(n - popcount(n)) * prod_i oddFactorial(floor(n / 2^i))`
 * (oddFactorial(m) = 1 * 3 * 5 * ... up to m), each odd number multiplied in
 * once, in balanced trees, and the repeats by multiplying running products
 * (see {@linkcode oddFactorialParts}); 1.5x faster than one product tree
 * of 2..n.
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
  return oddFactorialParts(n)[1] << BigInt(factorialTwos(n));
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
