/**
 * What became of one graded connection, and its log line.
 *
 * @module
 */

import type { Diagnosis } from "../../net/diagnosis.ts";
import { MAX_SCORE, type RubricPoints } from "../protocol/rubric.ts";

/**
 * What became of one connection; also what the log line says.
 *
 * @example
 * ```ts
 * import { formatOutcome, type GradingOutcome } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const outcome: GradingOutcome = {
 *   peer: "127.0.0.1:37808", sid: 20200000, keyword: "sbmt", score: 35,
 *   message: "DECRYPTED DATA MISMATCH: first difference at byte 3: got 0x41, expected 0x61", best: 50,
 *   diagnoses: [],
 * };
 * assert.match(formatOutcome(outcome), /^\[127\.0\.0\.1:37808\] sid 20200000 sbmt: 35\/50 FAIL \(best 50\): DECRYPTED/);
 * ```
 */
export interface GradingOutcome {
  /** Peer address, `host:port`. */
  peer: string;
  /** The student id, once a valid header named one. */
  sid?: number;
  /** The header's keyword, once a valid header named one. */
  keyword?: string;
  /** Points earned. */
  score: number;
  /** The points item by item (header, received, length, data), once a reply was judged. */
  items?: RubricPoints;
  /** The result packet's message (also sent to the client when it can be). */
  message: string;
  /** The best score after storing this one, when it was stored. */
  best?: number;
  /** Something that went wrong after grading, e.g. the result could not be delivered. */
  note?: string;
  /** The mistakes found on the wire, by their cause (see docs/mistakes.md); none for a right client. */
  diagnoses: Diagnosis[];
}

/**
 * One log line for an outcome, as the grading server prints it.
 *
 * @example
 * ```ts
 * import { formatOutcome } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const line = formatOutcome({
 *   peer: "127.0.0.1:37808", sid: 20200000, keyword: "sbmt", score: 35, best: 50,
 *   message: "DECRYPTED DATA MISMATCH: first difference at byte 3", diagnoses: [],
 * });
 * assert.equal(
 *   line,
 *   "[127.0.0.1:37808] sid 20200000 sbmt: 35/50 FAIL (best 50): DECRYPTED DATA MISMATCH: first difference at byte 3",
 * );
 * ```
 */
export function formatOutcome(outcome: GradingOutcome): string {
  const who = outcome.sid === undefined
    ? "no valid header"
    : `sid ${outcome.sid} ${outcome.keyword}`;
  const verdict = outcome.score === MAX_SCORE ? "GOOD" : "FAIL";
  const best = outcome.best === undefined ? "" : ` (best ${outcome.best})`;
  const note = outcome.note === undefined ? "" : ` [${outcome.note}]`;
  return `[${outcome.peer}] ${who}: ${outcome.score}/${MAX_SCORE} ${verdict}${best}: ${outcome.message}${note}`;
}
