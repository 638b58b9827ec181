/**
 * The test client's `--stress` cases: what the course's client never sent
 * but a robust server should take: big FILE bodies, large n, a message cut
 * into one-byte writes, keyword and number in one write, and many clients.
 * Findings are reported apart from the course score.
 *
 * @module
 */

import type { Logger } from "../../net/logger.ts";
import { runTestClient, type TestClientOptions, type TestReport } from "./test_client.ts";

/**
 * One stress case: a name and how it departs from the course's run.
 *
 * @example
 * ```ts
 * import { STRESS_CASES } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.ok(STRESS_CASES.some((c) => c.name === "FILE bodies up to 300 KB"));
 * ```
 */
export interface StressCase {
  /** Shown in the report. */
  name: string;
  /** What it changes in the course's run. */
  options: Partial<TestClientOptions>;
}

/** The stress cases, in the order they run. */
export const STRESS_CASES: readonly StressCase[] = [
  { name: "FILE bodies up to 300 KB", options: { maxFileBytes: 300_000 } },
  { name: "n from 10 to 5000", options: { minN: 10, maxN: 5000 } },
  { name: "keywords and bodies one byte per write", options: { writeMode: "bytewise" } },
  { name: "keyword and number in one write", options: { writeMode: "coalesced" } },
  { name: "16 clients at once", options: { clients: 16 } },
];

/** The reply cap in stress mode: 1 MiB (5000! has 16,326 digits). */
export const STRESS_REPLY_BYTES = 1024 * 1024;

/**
 * One case's outcome: passed when every request of every client was right.
 *
 * @example
 * ```ts no-assert
 * import type { StressFinding } from "@cs341/practice2/task2";
 *
 * const finding: StressFinding = { name: "16 clients at once", passed: true, okay: 96, requests: 96 };
 * console.log(`${finding.name}: ${finding.okay}/${finding.requests}`);
 * ```
 */
export interface StressFinding {
  /** The case's name. */
  name: string;
  /** Every request right. */
  passed: boolean;
  /** Right replies. */
  okay: number;
  /** Requests planned. */
  requests: number;
  /** The first thing that went wrong, if anything. */
  first?: string;
}

function findingOf(name: string, report: TestReport): StressFinding {
  const requests = report.clients.flatMap((client) => client.requests);
  const okay = requests.filter((request) => request.ok).length;
  const finding: StressFinding = {
    name,
    passed: okay === requests.length,
    okay,
    requests: requests.length,
  };
  const note = report.notes[0];
  const client = report.clients.find((c) => c.error !== undefined || c.requests.some((r) => !r.ok));
  const failed = client?.requests.find((request) => !request.ok && request.status !== "not-sent");
  if (note !== undefined) finding.first = note;
  else if (client !== undefined && failed !== undefined) {
    const cause = failed.cause === undefined ? "" : `; ${failed.cause}`;
    finding.first = `${client.name} ${failed.label}: ${failed.detail}${cause}`;
  } else if (client?.error !== undefined) finding.first = `${client.name}: ${client.error}`;
  return finding;
}

/**
 * Runs every stress case after another against `base` (the course run's
 * options) and returns the findings; their client lines go to `base.log`
 * only when `verbose`. `onCase` hears of each case as it starts, with the
 * findings so far (for progress and a partial summary on Ctrl-C).
 *
 * @example
 * ```ts
 * import { runStress, serveCompute } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * await using server = serveCompute({ hostname: "127.0.0.1", gapMs: 5, log() {} });
 * const findings = await runStress({ hostname: "127.0.0.1", port: server.port, pauseMs: 10 });
 * assert.deepEqual(findings.map((f) => f.passed), [true, true, true, true, true]);
 * ```
 */
export async function runStress(
  base: TestClientOptions,
  verbose = false,
  onCase?: (index: number, total: number, name: string, done: readonly StressFinding[]) => void,
): Promise<StressFinding[]> {
  const findings: StressFinding[] = [];
  for (const [index, { name, options }] of STRESS_CASES.entries()) {
    onCase?.(index, STRESS_CASES.length, name, findings);
    const log: Logger = verbose ? base.log ?? console.log : () => {};
    const report = await runTestClient({
      maxReplyBytes: STRESS_REPLY_BYTES,
      ...base,
      ...options,
      log,
    });
    findings.push(findingOf(name, report));
  }
  return findings;
}

/**
 * The stress section of the report: one line per case, apart from the
 * course score.
 *
 * @example
 * ```ts
 * import { formatStress } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(
 *   formatStress([
 *     { name: "16 clients at once", passed: true, okay: 96, requests: 96 },
 *     { name: "n from 10 to 5000", passed: false, okay: 20, requests: 24, first: "Client1 FACTORIAL 4000: no reply within 10000 ms" },
 *   ]),
 *   [
 *     "Stress (not part of the course score): 1 of 2 cases passed",
 *     "  pass  16 clients at once                96/96",
 *     "  FAIL  n from 10 to 5000                 20/24  Client1 FACTORIAL 4000: no reply within 10000 ms",
 *   ],
 * );
 * ```
 */
export function formatStress(findings: readonly StressFinding[]): string[] {
  const passed = findings.filter((finding) => finding.passed).length;
  const nameWidth = Math.max(32, ...findings.map((finding) => finding.name.length));
  const countWidth = Math.max(
    5,
    ...findings.map((finding) => `${finding.okay}/${finding.requests}`.length),
  );
  return [
    `Stress (not part of the course score): ${passed} of ${findings.length} cases passed`,
    ...findings.map((finding) => {
      const counts = `${finding.okay}/${finding.requests}`;
      const line = `  ${finding.passed ? "pass" : "FAIL"}  ${
        finding.name.padEnd(nameWidth)
      }  ${counts}`;
      return finding.first === undefined
        ? line
        : `${line.padEnd(8 + nameWidth + 2 + countWidth)}  ${finding.first}`;
    }),
  ];
}
