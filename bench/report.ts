/**
 * Pure helpers for bench/compare.ts: percentiles, ratios, number formats and
 * the plain-text table. No I/O, so tests/bench/compare_test.ts can check them.
 *
 * @module
 */

import { type Flag, flag } from "../lib/cli/mod.ts";
import { percentileOfSorted } from "../lib/task2/client/load_stats.ts";

/** The `p`-th percentile (0 to 100) of `values`, nearest rank (the library's `percentileOfSorted`). */
export function percentile(values: readonly number[], p: number): number {
  return percentileOfSorted([...values].sort((a, b) => a - b), p);
}

/** Count, median, 99th percentile and largest of a set of latencies. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Summarizes `values`, any number of them (NaN fields when empty). */
export function summarize(values: readonly number[]): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentileOfSorted(sorted, 50),
    p99: percentileOfSorted(sorted, 99),
    max: sorted.length === 0 ? NaN : sorted[sorted.length - 1]!,
  };
}

/**
 * How far a percentile moves between the first and the second half of a
 * run's samples (in the order they were taken), relative to the whole
 * run's: the run's own noise for that figure. 0 with fewer than 20 samples.
 */
export function halfSpread(values: readonly number[], p: number): number {
  if (values.length < 20) return 0;
  const half = Math.floor(values.length / 2);
  const whole = percentile(values, p);
  const spread = Math.abs(percentile(values.slice(0, half), p) - percentile(values.slice(half), p));
  return whole > 0 ? spread / whole : 0;
}

/** The median of `values`, `NaN` when empty. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Whether a bigger or a smaller figure is the better one. */
export type Better = "higher" | "lower";

/**
 * How ours compares with the baseline, in words: `"3.00x better"`,
 * `"2.50x worse"`, `"same"` (within 5%, or within `noise`, the run's own
 * measured spread, when that is wider), or `"-"` when either figure is
 * missing or not positive. `better` says which way is better.
 */
export function describeRatio(
  ours: number,
  baseline: number,
  better: Better,
  noise = 0.05,
): string {
  if (!Number.isFinite(ours) || !Number.isFinite(baseline) || ours <= 0 || baseline <= 0) {
    return "-";
  }
  const gain = better === "higher" ? ours / baseline : baseline / ours;
  if (Math.abs(gain - 1) < Math.max(0.05, noise)) return "same";
  return gain > 1 ? `${formatFigure(gain)}x better` : `${formatFigure(1 / gain)}x worse`;
}

/**
 * A figure with about three significant digits, thousands grouped with
 * commas: `0.0123`, `1.23`, `12.3`, `123`, `12,345`. `"-"` for NaN or
 * undefined, `"inf"` for infinity.
 */
export function formatFigure(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "-";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return Math.round(value).toLocaleString("en-US");
  if (magnitude >= 10) return value.toFixed(1);
  if (magnitude >= 1) return value.toFixed(2);
  if (magnitude === 0) return "0";
  return value.toPrecision(3);
}

export { formatTable } from "../lib/cli/table.ts";

/** A whole-number flag of the bench scripts, `min` (1) to `max` (10^7), `fallback` when absent. */
export function countFlag(
  description: string,
  fallback: number,
  max = 10_000_000,
  min = 1,
): Flag<number> {
  return flag.integer({ description, min, max, default: fallback });
}
