/**
 * Shared by the bench/compare.ts sections: the run's settings (its command
 * line), the result rows, the context every section reads and fills, and
 * small helpers.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import { createProgress, type Flag, flag, readCommandLine, UsageError } from "../lib/cli/mod.ts";
import { randomWords } from "./fixtures.ts";
import { type Client, closeClients, type LoadResult, openClients, runLoad } from "./load.ts";
import type { ServerProcess } from "./processes.ts";
import { type Better, halfSpread, percentile, summarize } from "./report.ts";

const count = (description: string, defaultText: string): Flag<number | undefined> =>
  flag.integer({ description, min: 1, max: 1_000_000, defaultText });

const COMPARE_COMMAND = {
  usage: "deno task bench:compare [flags]",
  program: "bench:compare",
  summary: "Starts our compute server (server.ts) and the Python course server " +
    "(bench/course_server.py) on 127.0.0.1, puts the same load through both, and prints a " +
    "table with both figures and the ratio; section h puts Task 1 grading sessions through " +
    "server.ts --task=1 with --workers=2 and with --workers=1.",
  flags: {
    quick: flag.switch({ description: "Shorter phases" }),
    json: flag.string({ value: "FILE", description: "Also write the results as JSON to FILE" }),
    only: flag.string({
      value: "LETTERS",
      description: "Sections to run (letters a-h)",
      defaultText: "abcdefgh",
    }),
    seconds: count("Seconds per measured phase", "6, 2 with --quick"),
    clients: flag.integers({
      description: "Client counts of the latency rows",
      min: 1,
      max: 100_000,
      default: [16, 256],
    }),
    "capacity-clients": count("Clients of the capacity row", "128"),
    handshakes: count("Handshakes measured", "640, 160 with --quick"),
    idle: count("Idle connections for the memory row", "1000"),
    "file-mib": count("MiB per upload in the upload row", "64"),
    gap: count("Quiet gap passed to our server, ms", "50"),
    "task1-sessions": count("Task 1 sessions per server in section h", "4096, 1024 with --quick"),
    python: flag.string({ value: "CMD", description: "Python interpreter", default: "python3" }),
  },
  examples: ["deno task bench:compare --quick", "deno task bench:compare --only=ab --seconds=3"],
};

/**
 * The run's settings, or the exit code when there is nothing to run (help,
 * version, a flag the flag layer refused); throws {@linkcode UsageError} for
 * `--only` letters that name no section.
 */
function parseConfig(args: string[]) {
  const values = readCommandLine(COMPARE_COMMAND, args);
  if (typeof values === "number") return values;
  const quick = values.quick;
  const seconds = values.seconds ?? (quick ? 2 : 6);
  const only = new Set((values.only ?? "abcdefgh").toLowerCase().split(""));
  for (const letter of only) {
    if (!"abcdefgh".includes(letter)) throw new UsageError(`--only: no section '${letter}' (a-h)`);
  }
  const gapMs = values.gap ?? 50;
  return {
    quick,
    measureMs: seconds * 1000,
    warmupMs: quick ? 300 : 1000,
    clients: values.clients,
    capacityClients: values["capacity-clients"] ?? 128,
    handshakes: values.handshakes ?? (quick ? 160 : 640),
    idle: values.idle ?? 1000,
    fileMiB: values["file-mib"] ?? 64,
    task1Sessions: values["task1-sessions"] ?? (quick ? 1024 : 4096),
    gapMs,
    /** `--gap` for our server, when given. */
    gap: values.gap === undefined ? [] : [`--gap=${gapMs}`],
    python: values.python,
    pythonLimitMs: quick ? 8000 : 20_000,
    repeats: quick ? 2 : 3,
    only,
    json: values.json,
  };
}

/** The run's settings, from the command line. */
export type Config = Exclude<ReturnType<typeof parseConfig>, number>;

/** {@linkcode parseConfig}: the run's settings, or the exit code when there is nothing to run. */
export const readConfig: (args: string[]) => Config | number = parseConfig;

/** How long one request may take before a client gives up. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** One line of the result table. */
export interface Row {
  section: string;
  metric: string;
  unit: string;
  better: Better;
  baselineName: string;
  ours: number | null;
  baseline: number | null;
  /**
   * The run's own noise for this figure (relative): how far it moved
   * between the two halves of each server's samples, the larger of the
   * two. A difference within it reads "same".
   */
  noise?: number;
  /** The native floor server's figure (bench/native/epoll_server.c), when it ran. */
  floor?: number | null;
  /** Text shown instead of a missing figure ("refused", "> 15 s"). */
  oursText?: string;
  baselineText?: string;
}

/**
 * Adds one row, `metric: unit`, ours against `baselineName` (`null` for a
 * missing figure), with `extra` (noise, the native floor, texts).
 */
export function addRow(
  context: Context,
  [section, metric, unit]: [string, string, string],
  better: Better,
  baselineName: string,
  [ours, baseline]: [number | null, number | null],
  extra: Partial<Row> = {},
): void {
  const row = { section, metric: `${metric}: ${unit}`, unit, better, baselineName, ours, baseline };
  context.rows.push({ ...row, ...extra });
}

/** What the sections share: settings, the rows and notes they add, the servers. */
export interface Context {
  config: Config;
  rows: Row[];
  notes: string[];
  ours?: ServerProcess;
  python?: ServerProcess;
  /** The native floor server; absent when it could not be compiled. */
  native?: ServerProcess | undefined;
  body?: Uint8Array | undefined;
}

/** Prints a progress line on stderr. */
export function progress(message: string): void {
  stages.stage(`.. ${message}`);
}

/** The run's stages, through the toolkit's one progress mechanism. */
const stages = createProgress();

/**
 * Adds p50, p99 (and `rate`, such as `requests/s`, unless false) rows for ours vs a baseline,
 * with the native floor's figures beside them when `floor` is given, and a
 * note for each server whose clients failed.
 */
export function addLatencyRows(
  context: Context,
  section: string,
  label: string,
  [ours, baseline, floor]: readonly (LoadResult | undefined)[],
  baselineName: string,
  rate: "requests/s" | "sessions/s" | false,
): void {
  const [o, b, f] = [ours, baseline, floor].map((result) => summarize(result?.latencies ?? []));
  const figure = (x: number | undefined) => Number.isFinite(x) ? x! : null;
  const row = (metric: string, unit: string, better: Better, [x, y, z]: number[], noise: number) =>
    context.rows.push({
      ...{ section, metric: `${label}: ${metric}`, unit, better, baselineName, noise },
      ...{ ours: figure(x), baseline: figure(y), ...(floor ? { floor: figure(z) } : {}) },
    });
  for (const p of [50, 99] as const) {
    const halves = [ours, baseline].map((result) => halfSpread(result?.latencies ?? [], p));
    const noise = Math.max(...halves, roundSpread(roundValues(baseline, p), roundValues(ours, p)));
    row(`p${p}`, "ms", "lower", [o!, b!, f!].map((s) => s[`p${p}`]), noise);
  }
  if (rate) {
    const rates = [ours, baseline, floor].map((result) => result?.perSecond ?? NaN);
    const rounds = roundSpread(ours?.roundRates ?? [], baseline?.roundRates ?? []);
    const noise = Math.max(rateSpread(ours), rateSpread(baseline), rounds);
    row(rate, rate, "higher", rates, noise);
  }
  for (
    const [name, result] of [["ours", ours], [baselineName, baseline], ["native", floor]] as const
  ) {
    if (result && result.errors > 0) {
      context.notes.push(
        `${section} ${label}: ${name} had ${result.errors} failed clients (${result.firstError})`,
      );
    }
  }
}

/**
 * Puts the same load on every server (ours, Python, native when it runs),
 * `count` clients each, opened once, in interleaved rounds whose order
 * rotates (ours, Python, native; Python, native, ours; ...): a warming load
 * generator or a burst of outside load then weighs on every server alike
 * instead of on whichever came first. The first round's warm-up is
 * `config.warmupMs`, later ones 150 ms. Each server's samples are its rounds
 * in order (what the rows' noise, `halfSpread`, compares); one merged result
 * per server, in `servers()` order.
 */
export async function inRounds(
  context: Context,
  count: number,
  request: (client: Client) => Promise<number>,
): Promise<LoadResult[]> {
  const { config } = context;
  const list = servers(context);
  const rounds = config.quick ? 4 : 6;
  const roundMs = config.measureMs / rounds;
  const pools: Client[][] = [];
  try {
    for (const server of list) {
      pools.push(await openClients(server.port, count, "Client", REQUEST_TIMEOUT_MS));
    }
    const merged = list.map((): LoadResult => ({ ...emptyLoad(), roundRates: [], roundSizes: [] }));
    for (let round = 0; round < rounds; round++) {
      for (let step = 0; step < list.length; step++) {
        const index = (round + step) % list.length;
        const total = merged[index]!;
        const warmup = round === 0 ? config.warmupMs : 150;
        const result = await runLoad(pools[index]!, warmup, roundMs, request);
        for (const latency of result.latencies) total.latencies.push(latency);
        total.perSecond += result.perSecond / rounds;
        total.errors += result.errors;
        total.roundRates!.push(result.perSecond);
        total.roundSizes!.push(result.latencies.length);
        if (result.firstError !== undefined) total.firstError ??= result.firstError;
      }
    }
    return merged;
  } finally {
    await Promise.all(pools.map(closeClients));
    await sleep(200);
  }
}

/** The `p`-th percentile latency of each round of `result` (none without rounds). */
function roundValues(result: LoadResult | undefined, p: number): number[] {
  const values: number[] = [];
  let start = 0;
  for (const size of result?.roundSizes ?? []) {
    values.push(percentile(result!.latencies.slice(start, start + size), p));
    start += size;
  }
  return values;
}

/**
 * How far the ratio `top / bottom` of single rounds strays from the ratio of
 * their means, relative (0 without rounds): the servers take turns in every
 * round, so a round's ratio is a measurement of its own, and ratios that
 * scatter across 1 make the row read "same" rather than a direction.
 */
function roundSpread(top: readonly number[], bottom: readonly number[]): number {
  const pairs = top.map((x, i) => [x, bottom[i]!] as const).filter(([x, y]) => x > 0 && y > 0);
  if (pairs.length < 2) return 0;
  const mean = (values: number[]) => values.reduce((x, y) => x + y, 0) / values.length;
  const whole = mean(pairs.map(([x]) => x)) / mean(pairs.map(([, y]) => y));
  return Math.max(...pairs.map(([x, y]) => Math.abs(x / y / whole - 1)));
}

/** Spread of the first and second halves' mean rates, relative to the mean; 0 without rounds. */
function rateSpread(result: LoadResult | undefined): number {
  const rates = result?.roundRates ?? [];
  const half = Math.floor(rates.length / 2);
  if (half === 0) return 0;
  const mean = (values: number[]) => values.reduce((x, y) => x + y, 0) / values.length;
  const [a, b] = [mean(rates.slice(0, half)), mean(rates.slice(half))];
  return a + b <= 0 ? 0 : Math.abs(a - b) / ((a + b) / 2);
}

/** A load result with nothing measured yet. */
export function emptyLoad(): LoadResult {
  return { latencies: [], perSecond: 0, errors: 0 };
}

/** Opens `count` handshaken clients, runs `use`, then closes them and pauses. */
export async function withClients<T>(
  server: ServerProcess,
  count: number,
  prefix: string,
  use: (clients: Client[]) => Promise<T>,
): Promise<T> {
  const clients = await openClients(server.port, count, prefix, REQUEST_TIMEOUT_MS);
  try {
    return await use(clients);
  } finally {
    await closeClients(clients);
    await sleep(200);
  }
}

/**
 * Our server, the Python one, then the native floor when it runs; throws when
 * ours or Python's were not started.
 */
export function servers(context: Context): [ServerProcess, ServerProcess, ...ServerProcess[]] {
  if (!context.ours || !context.python) throw new Error("servers not started");
  return [context.ours, context.python, ...(context.native ? [context.native] : [])];
}

/** The FILE body of `config.fileMiB` random words, made once and kept in the context. */
export function fileBody(context: Context): Uint8Array {
  if (!context.body) {
    progress(`generating ${context.config.fileMiB} MiB of random words`);
    context.body = randomWords(context.config.fileMiB * 1024 * 1024);
  }
  return context.body;
}
