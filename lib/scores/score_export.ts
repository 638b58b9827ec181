/**
 * Score exports for grade uploads: CSV (RFC 4180, UTF-8, header row, CRLF)
 * and JSON, one record per student and task, and the id mask of the staff
 * page.
 *
 * @module
 */

import type { ScoreRow } from "./score_db.ts";

import { OUT_OF } from "./task_marks.ts";

export { OUT_OF };

/** The CSV columns, in order. */
const COLUMNS = ["student_id", "task", "best", "out_of", "last", "attempts", "best_at", "last_at"];

/**
 * Shows only the last 3 digits of a student id, as `*****234`.
 *
 * @example
 * ```ts
 * import { maskId } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * assert.equal(maskId(20201234), "*****234");
 * ```
 */
export function maskId(id: number | string): string {
  const text = String(id);
  return "*".repeat(Math.max(0, text.length - 3)) + text.slice(-3);
}

/** How exports show ids. */
export interface ExportOptions {
  /** Show only the last 3 digits of each id (see {@linkcode maskId}). */
  maskIds?: boolean | undefined;
}

/**
 * Quotes one CSV field when it needs it (comma, quote, CR or LF), doubling
 * quotes, as RFC 4180 says.
 *
 * @example
 * ```ts
 * import { csvField } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * assert.equal(csvField("plain"), "plain");
 * assert.equal(csvField('say "hi", twice'), '"say ""hi"", twice"');
 * ```
 */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function record(row: ScoreRow, options: ExportOptions) {
  return {
    student_id: options.maskIds ? maskId(row.studentId) : String(row.studentId),
    task: row.task,
    best: row.best,
    out_of: OUT_OF[row.task],
    last: row.last,
    attempts: row.attempts,
    best_at: row.bestAt,
    last_at: row.lastAt,
  };
}

/**
 * The rows as CSV: a header row, then one line per student and task, CRLF
 * line ends.
 *
 * @example
 * ```ts
 * import { formatCsv } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * const csv = formatCsv([{
 *   studentId: 20200000, task: 1, best: 50, last: 35, attempts: 3,
 *   bestAt: "2026-11-24T06:00:49.660Z", lastAt: "2026-11-24T07:00:00.000Z",
 * }]);
 * assert.equal(
 *   csv,
 *   "student_id,task,best,out_of,last,attempts,best_at,last_at\r\n" +
 *     "20200000,1,50,50,35,3,2026-11-24T06:00:49.660Z,2026-11-24T07:00:00.000Z\r\n",
 * );
 * ```
 */
export function formatCsv(rows: readonly ScoreRow[], options: ExportOptions = {}): string {
  const lines = rows.map((row) => Object.values(record(row, options)).map(csvField).join(","));
  return [COLUMNS.join(","), ...lines].map((line) => `${line}\r\n`).join("");
}

/**
 * The rows as a JSON array, one object per student and task, with the
 * same fields as the CSV columns (`student_id` as text, to keep masks).
 *
 * @example
 * ```ts
 * import { formatJson } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * const json = JSON.parse(formatJson([{
 *   studentId: 20200000, task: 2, best: 40, last: 40, attempts: 1,
 *   bestAt: "2026-11-24T06:00:49.660Z", lastAt: "2026-11-24T06:00:49.660Z",
 * }], { maskIds: true }));
 * assert.equal(json[0].student_id, "*****000");
 * assert.equal(json[0].out_of, 40);
 * ```
 */
export function formatJson(rows: readonly ScoreRow[], options: ExportOptions = {}): string {
  return JSON.stringify(rows.map((row) => record(row, options)), null, 2) + "\n";
}
