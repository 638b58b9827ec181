/**
 * Shared by the bench/compare.ts sections: the run's settings, the result
 * rows, the context every section reads and fills, and small helpers.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import { createProgress } from "../lib/cli/mod.ts";
import { randomWords } from "./fixtures.ts";
import { type Client, closeClients, type LoadResult, openClients } from "./load.ts";
import type { ServerProcess } from "./processes.ts";
import { type Better, halfSpread, summarize } from "./report.ts";

/** How long one request may take before a client gives up. */
export const REQUEST_TIMEOUT_MS = 10_000;

/** The run's settings, from the command line. */
export interface Config {
  quick: boolean;
  measureMs: number;
  warmupMs: number;
  clients: number[];
  capacityClients: number;
  handshakes: number;
  idle: number;
  fileMiB: number;
  gapMs: number;
  serverGapFlag: string[];
  python: string;
  pythonLimitMs: number;
  repeats: number;
  only: Set<string>;
  json: string | undefined;
}

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
  /** Text shown instead of a missing figure ("refused", "> 15 s"). */
  oursText?: string;
  baselineText?: string;
}

/** What the sections share: settings, the rows and notes they add, the servers. */
export interface Context {
  config: Config;
  rows: Row[];
  notes: string[];
  ours?: ServerProcess;
  python?: ServerProcess;
  body?: Uint8Array | undefined;
}

/** Prints a progress line on stderr. */
export function progress(message: string): void {
  stages.stage(`.. ${message}`);
}

/** The run's stages, through the toolkit's one progress mechanism. */
const stages = createProgress();

/** Adds p50, p99 (and requests/s when `withRate`) rows for ours vs a baseline. */
export function addLatencyRows(
  context: Context,
  section: string,
  label: string,
  ours: LoadResult | undefined,
  baseline: LoadResult | undefined,
  baselineName: string,
  withRate: boolean,
): void {
  const o = summarize(ours?.latencies ?? []);
  const b = summarize(baseline?.latencies ?? []);
  const noise = (p: number) =>
    Math.max(halfSpread(ours?.latencies ?? [], p), halfSpread(baseline?.latencies ?? [], p));
  const row = (
    metric: string,
    unit: string,
    better: Better,
    x: number,
    y: number,
    spread?: number,
  ): Row => ({
    section,
    metric: `${label}: ${metric}`,
    unit,
    better,
    baselineName,
    ours: Number.isFinite(x) ? x : null,
    baseline: Number.isFinite(y) ? y : null,
    ...(spread === undefined ? {} : { noise: spread }),
  });
  context.rows.push(
    row("p50", "ms", "lower", o.p50, b.p50, noise(50)),
    row("p99", "ms", "lower", o.p99, b.p99, noise(99)),
  );
  if (withRate) {
    context.rows.push(
      row(
        "requests/s",
        "req/s",
        "higher",
        ours?.perSecond ?? NaN,
        baseline?.perSecond ?? NaN,
        Math.max(rateSpread(ours), rateSpread(baseline)),
      ),
    );
  }
  for (const [name, result] of [["ours", ours], [baselineName, baseline]] as const) {
    if (result && result.errors > 0) {
      context.notes.push(
        `${section} ${label}: ${name} had ${result.errors} failed clients (${result.firstError})`,
      );
    }
  }
}

/**
 * Measures our server and the baseline in two alternating rounds of half
 * the phase each (ours, baseline, ours, baseline), so that a burst of
 * outside load hits one round of one server, not a whole figure; each
 * server's samples are the two rounds in order, which is what the rows'
 * noise (`halfSpread`) compares.
 */
export async function inRounds(
  context: Context,
  measure: (server: ServerProcess, measureMs: number) => Promise<LoadResult>,
): Promise<[LoadResult, LoadResult]> {
  const rounds: LoadResult[][] = [[], []];
  for (let round = 0; round < 2; round++) {
    for (const [i, server] of servers(context).entries()) {
      rounds[i]!.push(await measure(server, context.config.measureMs / 2));
    }
  }
  const merge = ([first, second]: LoadResult[]): LoadResult => ({
    latencies: [...first!.latencies, ...second!.latencies],
    perSecond: (first!.perSecond + second!.perSecond) / 2,
    errors: first!.errors + second!.errors,
    roundRates: [first!.perSecond, second!.perSecond],
    ...(first!.firstError ?? second!.firstError
      ? { firstError: first!.firstError ?? second!.firstError! }
      : {}),
  });
  return [merge(rounds[0]!), merge(rounds[1]!)];
}

/** Spread of two rounds' rates relative to their mean; 0 without rounds. */
function rateSpread(result: LoadResult | undefined): number {
  const [a, b] = result?.roundRates ?? [];
  return a === undefined || b === undefined || a + b <= 0 ? 0 : Math.abs(a - b) / ((a + b) / 2);
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

/** Our server and the Python one; throws when they were not started. */
export function servers(context: Context): [ServerProcess, ServerProcess] {
  if (!context.ours || !context.python) throw new Error("servers not started");
  return [context.ours, context.python];
}

/** The FILE body of `config.fileMiB` random words, made once and kept in the context. */
export function fileBody(context: Context): Uint8Array {
  if (!context.body) {
    progress(`generating ${context.config.fileMiB} MiB of random words`);
    context.body = randomWords(context.config.fileMiB * 1024 * 1024);
  }
  return context.body;
}
