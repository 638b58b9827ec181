/**
 * `deno bench bench/compute_bench.ts`: Fibonacci and factorial (the value
 * only; decimal_bench.ts times writing it out) against the obvious loops:
 * F(n) by n additions, n! by multiplying 2..n in order. Sizes above the
 * library's current limits (FIBONACCI_LIMIT, FACTORIAL_LIMIT) are listed but
 * ignored until the limits allow them.
 *
 * @module
 */

import {
  factorial,
  FACTORIAL_LIMIT,
  fibonacci,
  FIBONACCI_LIMIT,
} from "../lib/task2/compute/compute.ts";

function fibonacciByAdding(n: number): bigint {
  let a = 0n;
  let b = 1n;
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}

function factorialInOrder(n: number): bigint {
  let product = 1n;
  for (let i = 2; i <= n; i++) product *= BigInt(i);
  return product;
}

for (const n of [10_000, 100_000]) {
  const group = `fibonacci ${n.toLocaleString("en-US")}`;
  Deno.bench({
    name: "n additions (baseline)",
    group,
    baseline: true,
    n: 20,
    fn: () => void fibonacciByAdding(n),
  });
  Deno.bench({ name: "fibonacci (fast doubling)", group, fn: () => void fibonacci(n) });
}
for (const n of [1_000_000, 10_000_000]) {
  Deno.bench({
    name: `fibonacci ${n.toLocaleString("en-US")}`,
    group: "fibonacci beyond 100,000",
    ignore: n > FIBONACCI_LIMIT,
    n: 5,
    fn: () => void fibonacci(n),
  });
}

for (const n of [1_000, 10_000]) {
  const group = `factorial ${n.toLocaleString("en-US")}`;
  Deno.bench({
    name: "multiply 2..n in order (baseline)",
    group,
    baseline: true,
    fn: () => void factorialInOrder(n),
  });
  Deno.bench({ name: "factorial (product tree)", group, fn: () => void factorial(n) });
}
for (const n of [100_000, 1_000_000]) {
  Deno.bench({
    name: `factorial ${n.toLocaleString("en-US")}`,
    group: "factorial beyond 10,000",
    ignore: n > FACTORIAL_LIMIT,
    n: 3,
    fn: () => void factorial(n),
  });
}
