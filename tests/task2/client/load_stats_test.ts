import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import { LatencySamples, percentileOfSorted } from "../../../lib/task2/client/load_stats.ts";

Deno.test("percentileOfSorted() is the smallest value with at least p% of the values at or below it", () => {
  fc.assert(fc.property(
    fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 200 }),
    fc.integer({ min: 0, max: 100 }),
    (values, p) => {
      const sorted = [...values].sort((a, b) => a - b);
      const value = percentileOfSorted(sorted, p);
      const atOrBelow = sorted.filter((v) => v <= value).length;
      assert.ok(atOrBelow * 100 >= p * sorted.length, "at least p% at or below");
      const below = sorted.filter((v) => v < value).length;
      assert.ok(below * 100 < Math.max(1, p * sorted.length), "no smaller value qualifies");
    },
  ));
  assert.ok(Number.isNaN(percentileOfSorted([], 50)));
  assert.throws(() => percentileOfSorted([1], 101), RangeError);
  assert.throws(() => percentileOfSorted([1], Number.NaN), RangeError);
});

Deno.test("LatencySamples.summary() gives exact percentiles below its capacity and the exact maximum beyond it", () => {
  const samples = new LatencySamples(1000);
  for (let ms = 1000; ms >= 1; ms--) samples.add(ms);
  assert.deepEqual(samples.summary(), { p50: 500, p90: 900, p99: 990, max: 1000 });
  const small = new LatencySamples(10, () => 0.999);
  for (let ms = 1; ms <= 100; ms++) small.add(ms);
  assert.equal(small.count, 100);
  assert.equal(small.summary()?.max, 100);
  assert.equal(new LatencySamples().summary(), undefined);
});
