import assert from "node:assert/strict";
import {
  describeRatio,
  formatFigure,
  formatTable,
  halfSpread,
  median,
  percentile,
  summarize,
} from "../../bench/report.ts";
import { randomWords } from "../../bench/fixtures.ts";

Deno.test("percentile uses the nearest rank", () => {
  const values = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
  assert.equal(percentile(values, 50), 5);
  assert.equal(percentile(values, 99), 10);
  assert.equal(percentile(values, 100), 10);
  assert.equal(percentile(values, 0), 1);
  assert.equal(percentile(values, 10), 1);
  assert.equal(percentile(values, 11), 2);
  assert.equal(percentile([7], 99), 7);
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.throws(() => percentile(values, 101), RangeError);
  assert.deepEqual(values, [5, 1, 4, 2, 3, 6, 7, 8, 9, 10], "input left unsorted");
});

Deno.test("summarize and median", () => {
  const values = Array.from({ length: 200 }, (_, i) => 200 - i);
  assert.deepEqual(summarize(values), { count: 200, p50: 100, p99: 198, max: 200 });
  assert.equal(median([3, 1, 2]), 2);
  const many = Array.from({ length: 500_000 }, (_, i) => i + 1);
  assert.deepEqual(summarize(many), { count: 500_000, p50: 250_000, p99: 495_000, max: 500_000 });
  const empty = summarize([]);
  assert.equal(empty.count, 0);
  assert.ok(Number.isNaN(empty.p50) && Number.isNaN(empty.max));
});

Deno.test("describeRatio says better or worse whichever way a figure goes", () => {
  assert.equal(describeRatio(10, 30, "lower"), "3.00x better");
  assert.equal(describeRatio(30, 10, "lower"), "3.00x worse");
  assert.equal(describeRatio(300, 100, "higher"), "3.00x better");
  assert.equal(describeRatio(100, 250, "higher"), "2.50x worse");
  assert.equal(describeRatio(100, 103, "higher"), "same");
  assert.equal(describeRatio(NaN, 1, "lower"), "-");
  assert.equal(describeRatio(0, 1, "lower"), "-");
});

Deno.test("formatFigure keeps about three significant digits", () => {
  assert.equal(formatFigure(12345.6), "12,346");
  assert.equal(formatFigure(123.4), "123");
  assert.equal(formatFigure(12.34), "12.3");
  assert.equal(formatFigure(1.234), "1.23");
  assert.equal(formatFigure(0.01234), "0.0123");
  assert.equal(formatFigure(0), "0");
  assert.equal(formatFigure(NaN), "-");
  assert.equal(formatFigure(undefined), "-");
  assert.equal(formatFigure(Infinity), "inf");
});

Deno.test("formatTable pads columns: first left, others right", () => {
  const table = formatTable(["name", "ours", "base"], [["p50", "1.23", "45.6"], [
    "requests/s",
    "12,345",
    "7",
  ]]);
  assert.equal(
    table,
    [
      "name          ours  base",
      "----------  ------  ----",
      "p50           1.23  45.6",
      "requests/s  12,345     7",
    ].join("\n"),
  );
});

Deno.test("randomWords is deterministic ASCII words ending in a space", () => {
  const a = randomWords(1000);
  assert.deepEqual(a, randomWords(1000));
  assert.equal(a.length, 1000);
  assert.equal(a[999], 0x20);
  assert.ok(a.every((byte) => byte === 0x20 || byte === 0x0a || (byte >= 0x61 && byte <= 0x7a)));
  assert.notDeepEqual(a, randomWords(1000, 7));
});

Deno.test("describeRatio() reads a difference within the run's own noise as the same", () => {
  assert.equal(describeRatio(0.27, 0.3, "lower"), "1.11x better");
  assert.equal(describeRatio(0.27, 0.3, "lower", 0.2), "same");
  assert.equal(describeRatio(0.1, 0.3, "lower", 0.2), "3.00x better");
});

Deno.test("halfSpread() is how far a percentile moves between the halves of a run", () => {
  const steady = Array.from({ length: 100 }, (_, i) => 1 + (i % 10) / 100);
  assert.equal(halfSpread(steady, 50), 0);
  // The second half twice as slow: the median moves by about the whole median.
  const drifting = [...steady.slice(0, 50), ...steady.slice(50).map((v) => v * 2)];
  assert.ok(halfSpread(drifting, 50) > 0.5, String(halfSpread(drifting, 50)));
  assert.equal(halfSpread([1, 2, 3], 50), 0); // too few samples to tell
});
