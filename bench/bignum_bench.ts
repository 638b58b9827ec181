/**
 * `deno bench --allow-read bench/bignum_bench.ts`: the pieces behind the
 * largest answers, each group against a baseline run alongside.
 *
 * - decimal: V8's `toString` (baseline) against `toDecimal` at lower
 *   thresholds (powers cached after the warm-up), on the low half of
 *   F(10^7) (3.5 Mbit), the size each pool worker converts. This is how
 *   `DECIMAL_THRESHOLD_BITS` was chosen.
 * - split: the pool's top split of F(10^7) by Barrett (prepared) against
 *   BigInt division.
 * - end to end: F(10^7) and 10^6! as text, one thread (baseline) against
 *   the pool of two workers.
 *
 * @module
 */

import { factorial, fibonacci } from "../lib/task2/compute/compute.ts";
import { ComputePool } from "../lib/task2/compute/compute_pool.ts";
import {
  bitLength,
  halfDigits,
  prepareSplit,
  splitDecimal,
  toDecimal,
} from "../lib/task2/compute/decimal.ts";

const OPTIONS = { n: 4, warmup: 1 };
const x = fibonacci(10_000_000);
const e = halfDigits(bitLength(x));
const power = 10n ** BigInt(e);
const low = x % power;

Deno.bench("toString, 3.5 Mbit", { group: "decimal", baseline: true, ...OPTIONS }, () => {
  low.toString();
});
for (const bits of [1 << 20, 1 << 18]) {
  Deno.bench(`toDecimal, threshold 2^${Math.log2(bits)} bits`, {
    group: "decimal",
    ...OPTIONS,
  }, () => {
    toDecimal(low, e, bits);
  });
}

Deno.bench("BigInt / and *, F(10^7)", { group: "split", baseline: true, ...OPTIONS }, () => {
  const hi = x / power;
  void (x - hi * power);
});
Deno.bench("Barrett (prepared), F(10^7)", { group: "split", ...OPTIONS }, () => {
  prepareSplit(e);
  splitDecimal(x, e);
});

const pool = new ComputePool({ size: 2 });
for (const [kind, n] of [["fibonacci", 10_000_000], ["factorial", 1_000_000]] as const) {
  const group = `${kind}(${n})`;
  Deno.bench(`one thread, toString`, { group, baseline: true, ...OPTIONS }, () => {
    (kind === "fibonacci" ? fibonacci(n) : factorial(n)).toString();
  });
  Deno.bench(`pool of 2`, { group, ...OPTIONS }, async () => {
    await pool.run({ kind, n });
  });
}
globalThis.addEventListener("unload", () => void pool.close());
