/**
 * `deno bench bench/decimal_bench.ts`: writing a big BigInt in decimal, the
 * step that dominates large FIBONACCI and FACTORIAL answers, with
 * `BigInt.prototype.toString()` as the baseline and hexadecimal (linear
 * time, no division) as the floor. Sizes: F(10^5) (20,899 digits), 10^4!
 * (35,660 digits), and F(10^6), F(10^7) (208,988 and 2,089,877 digits,
 * computed here without the library's limit).
 *
 * @module
 */

import { factorial, fibonacci } from "../lib/task2/compute/compute.ts";
import { fibonacciUnlimited } from "./fixtures.ts";

const values: [string, bigint, number][] = [
  ["F(10^5)", fibonacci(100_000), 200],
  ["10^4!", factorial(10_000), 200],
  ["F(10^6)", fibonacciUnlimited(1_000_000), 20],
  ["F(10^7)", fibonacciUnlimited(10_000_000), 3],
];

for (const [label, value, n] of values) {
  const group = `decimal ${label}, ${value.toString().length.toLocaleString("en-US")} digits`;
  Deno.bench({
    name: "BigInt toString() (baseline)",
    group,
    baseline: true,
    n,
    warmup: 1,
    fn: () => void value.toString(),
  });
  Deno.bench({
    name: "toString(16) (floor)",
    group,
    n,
    warmup: 1,
    fn: () => void value.toString(16),
  });
}
