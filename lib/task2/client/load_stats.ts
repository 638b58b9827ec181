/**
 * Load-mode statistics: latency samples with a bounded memory, their
 * percentiles, and the report's lines.
 *
 * @module
 */

/**
 * The `p`-th percentile (0 to 100) of `sorted` (ascending) by the
 * nearest-rank method: the smallest value with at least p% of the values at
 * or below it. `NaN` for no values; a `RangeError` for `p` outside 0..100.
 *
 * @example
 * ```ts
 * import { percentileOfSorted } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
 * assert.equal(percentileOfSorted(sorted, 50), 5);
 * assert.equal(percentileOfSorted(sorted, 99), 10);
 * assert.equal(percentileOfSorted(sorted, 0), 1);
 * assert.ok(Number.isNaN(percentileOfSorted([], 50)));
 * ```
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is not within 0..100`);
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
}

/**
 * Latency percentiles in milliseconds (nearest rank).
 *
 * @example
 * ```ts
 * import { type Latency, LatencySamples } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const samples = new LatencySamples();
 * for (const ms of [4, 1, 3, 2]) samples.add(ms);
 * const latency: Latency | undefined = samples.summary();
 * assert.equal(latency?.max, 4);
 * ```
 */
export interface Latency {
  /** Median. */
  p50: number;
  /** 90th percentile. */
  p90: number;
  /** 99th percentile. */
  p99: number;
  /** The slowest. */
  max: number;
}

/**
 * Latency samples: all of them up to `capacity`, then a uniform sample of
 * that size (reservoir sampling), so a long run's memory stays bounded.
 * The maximum is always exact.
 *
 * @example
 * ```ts
 * import { LatencySamples } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const samples = new LatencySamples();
 * for (let ms = 1; ms <= 100; ms++) samples.add(ms);
 * assert.deepEqual(samples.summary(), { p50: 50, p90: 90, p99: 99, max: 100 });
 * assert.equal(new LatencySamples().summary(), undefined);
 * ```
 */
export class LatencySamples {
  readonly #values: Float64Array;
  #count = 0;
  #max = 0;
  readonly #random: () => number;

  /** Keeps at most `capacity` samples; `random` picks which ones beyond that. */
  constructor(capacity = 1_000_000, random: () => number = Math.random) {
    this.#values = new Float64Array(capacity);
    this.#random = random;
  }

  /** How many were added. */
  get count(): number {
    return this.#count;
  }

  /** Adds one latency, in milliseconds. */
  add(ms: number): void {
    this.#max = Math.max(this.#max, ms);
    const capacity = this.#values.length;
    if (this.#count < capacity) this.#values[this.#count] = ms;
    else {
      const slot = Math.floor(this.#random() * (this.#count + 1));
      if (slot < capacity) this.#values[slot] = ms;
    }
    this.#count++;
  }

  /** The percentiles, or `undefined` with no samples. */
  summary(): Latency | undefined {
    const kept = Math.min(this.#count, this.#values.length);
    if (kept === 0) return undefined;
    const sorted = this.#values.slice(0, kept).sort();
    const rank = (p: number) => percentileOfSorted(sorted, p);
    return { p50: rank(50), p90: rank(90), p99: rank(99), max: this.#max };
  }
}

/**
 * What a load run measured.
 *
 * @example
 * ```ts no-assert
 * import { formatLoad, type LoadReport } from "@cs341/practice2/task2";
 *
 * const report: LoadReport = {
 *   clients: 4, style: "single", seconds: 2, sessions: 8, requests: 48, perSecond: 24,
 *   latencyMs: undefined, errors: {},
 * };
 * console.log(formatLoad(report));
 * ```
 */
export interface LoadReport {
  /** Connections at once. */
  clients: number;
  /** `course` (messages as separate writes with pauses) or `single` (one write per request). */
  style: "course" | "single";
  /** How long the run took. */
  seconds: number;
  /** Sessions completed (name to COMPLETE). */
  sessions: number;
  /** Requests answered right. */
  requests: number;
  /** Right answers per second. */
  perSecond: number;
  /** From a request's last write to its whole reply; `undefined` with no answer. */
  latencyMs: Latency | undefined;
  /** Failures by kind, such as `timeout` or `wrong answer`. */
  errors: Record<string, number>;
}

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/**
 * The load report's lines, aligned.
 *
 * @example
 * ```ts
 * import { formatLoad } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const lines = formatLoad({
 *   clients: 4, style: "single", seconds: 2, sessions: 8, requests: 48, perSecond: 24,
 *   latencyMs: { p50: 0.412, p90: 0.8, p99: 2.1, max: 15.3 }, errors: { timeout: 2 },
 * });
 * assert.deepEqual(lines, [
 *   "Load: 4 clients, style single, 2.0 s, 8 sessions",
 *   "Requests  48 right, 24.0/s",
 *   "Latency   p50 0.41 ms, p90 0.80 ms, p99 2.10 ms, max 15.3 ms",
 *   "Errors    timeout 2",
 * ]);
 * ```
 */
export function formatLoad(report: LoadReport): string[] {
  const latency = report.latencyMs;
  const errors = Object.entries(report.errors).sort(([, a], [, b]) => b - a);
  return [
    `Load: ${report.clients} clients, style ${report.style}, ${report.seconds.toFixed(1)} s, ` +
    `${report.sessions} sessions`,
    `Requests  ${report.requests} right, ${report.perSecond.toFixed(1)}/s`,
    latency === undefined
      ? "Latency   no answers"
      : `Latency   p50 ${ms(latency.p50)} ms, p90 ${ms(latency.p90)} ms, ` +
        `p99 ${ms(latency.p99)} ms, max ${ms(latency.max)} ms`,
    `Errors    ${
      errors.length === 0 ? "none" : errors.map(([kind, n]) => `${kind} ${n}`).join(", ")
    }`,
  ];
}
