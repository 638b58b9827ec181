/**
 * The test client's reports for scripts (`--json`) and its load mode's
 * run and live progress line.
 *
 * @module
 */

import type { Logger } from "../net/logger.ts";
import { formatLoad } from "../task2/client/load_stats.ts";
import { runLoad } from "../task2/client/load_run.ts";
import { nothingListens } from "../task2/client/test_client.ts";
import type { StressFinding } from "../task2/client/stress_run.ts";
import type { TestReport } from "../task2/client/test_client.ts";
import { createProgress, onInterrupt, type ProgressSink } from "./progress.ts";

/** The test client's flags that load mode reads. */
export interface LoadFlags {
  /** `--host`. */
  host: string;
  /** `--port`. */
  port: number;
  /** `--clients`. */
  clients: number;
  /** `--pause`, in ms. */
  pause: number;
  /** `--timeout`, in ms. */
  timeout: number;
  /** `--duration`, in seconds. */
  duration: number | undefined;
  /** `--rounds`. */
  rounds: number | undefined;
  /** `--style`; `course` when absent. */
  style: "course" | "single" | undefined;
  /** `--json`. */
  json: boolean;
}

/**
 * The course run as one JSON value: the score, whether the server served
 * its clients one at a time, run-level notes, every client with every
 * request, the stress findings and the recorded best score, if any. Text
 * from the server is already escaped.
 *
 * @example
 * ```ts
 * import { courseJson } from "@cs341/practice2/cli";
 * import { scoreOutcomes } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const report = { clients: [], score: scoreOutcomes([]), sequential: false, notes: [], diagnoses: [] };
 * const json = courseJson(report, undefined, undefined);
 * assert.equal(json.score.total, 0);
 * assert.equal(json.stress, null);
 * ```
 */
export function courseJson(
  report: TestReport,
  stress: readonly StressFinding[] | undefined,
  best: number | undefined,
): TestReport & { stress: readonly StressFinding[] | null; best: number | null } {
  return { ...report, stress: stress ?? null, best: best ?? null };
}

/**
 * Runs load mode from the parsed flags and prints its report (lines, or
 * JSON with `--json`); with a `progress` sink it shows progress there (a
 * live line on a terminal, a line every 5 s when piped) and a partial
 * summary on Ctrl-C.
 * Returns 0 when there was at least one answer and no error.
 *
 * @example
 * ```ts
 * import { loadMain } from "@cs341/practice2/cli";
 * import { serveCompute } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * await using server = serveCompute({ hostname: "127.0.0.1", gapMs: 5, log() {} });
 * const lines: string[] = [];
 * const flags = {
 *   host: "127.0.0.1", port: server.port, clients: 2, pause: 10, timeout: 1000,
 *   duration: undefined, rounds: 1, style: "single" as const, json: false,
 * };
 * assert.equal(await loadMain(flags, (line) => lines.push(line), undefined), 0);
 * assert.match(lines[0]!, /^Load: 2 clients, style single, /);
 * ```
 */
export async function loadMain(
  flags: LoadFlags,
  log: Logger,
  progress: ProgressSink | undefined,
): Promise<number> {
  const line = progress !== undefined && !flags.json ? createProgress(progress) : undefined;
  let sofar = "nothing measured yet";
  let stage = 0;
  using _interrupt = line === undefined
    ? undefined
    : onInterrupt(() => `Interrupted; load so far: ${sofar}`);
  const options = {
    hostname: flags.host,
    port: flags.port,
    clients: flags.clients,
    style: flags.style ?? "course",
    pauseMs: flags.pause,
    timeoutMs: flags.timeout,
    ...(flags.duration === undefined ? {} : { durationMs: flags.duration * 1000 }),
    ...(flags.rounds === undefined ? {} : { rounds: flags.rounds }),
    ...(line === undefined ? {} : {
      onProgress: ({ elapsedMs, requests, errors }: {
        elapsedMs: number;
        requests: number;
        errors: number;
      }) => {
        sofar = `${(elapsedMs / 1000).toFixed(1)} s  ${requests} right  ` +
          `${(requests / Math.max(elapsedMs / 1000, 0.001)).toFixed(0)}/s  ${errors} errors`;
        // Every 5 s a step (its own line when piped); in between the live line only.
        if (Math.floor(elapsedMs / 5000) > stage) {
          stage = Math.floor(elapsedMs / 5000);
          line.step(sofar);
        } else {
          line.update(sofar);
        }
      },
    }),
  };
  const report = await runLoad(options);
  line?.done();
  if (report.errors.refused !== undefined && !flags.json) {
    log(nothingListens(flags.host, flags.port));
  }
  if (flags.json) log(JSON.stringify(report));
  else for (const text of formatLoad(report)) log(text);
  return report.requests > 0 && Object.keys(report.errors).length === 0 ? 0 : 1;
}
