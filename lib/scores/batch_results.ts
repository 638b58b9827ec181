/**
 * Batch grading results kept in the score database beside the best scores:
 * one record per student, written by a batch grading run (`server grade`)
 * and shown on the staff page next to the scores the students registered.
 * A new run replaces a student's record; registered scores are never
 * touched. This module holds the record's shape, its check and its table;
 * the storage worker runs the SQL.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { isStudentId } from "./student_id.ts";

/** One rubric item a batch run graded. */
export interface BatchItem {
  /** 1 or 2. */
  task: 1 | 2;
  /** What the item checks, e.g. "checksum" or "FIBONACCI". */
  name: string;
  /** Points earned. */
  points: number;
  /** Points the item is worth. */
  outOf: number;
}

/**
 * What a batch grading run found for one student's submission.
 *
 * @example
 * ```ts
 * import type { BatchRecord } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * const record: BatchRecord = {
 *   studentId: 20200000, task1: 50, task2: 30, total: 80,
 *   items: [{ task: 2, name: "FACTORIAL", points: 0, outOf: 10 }],
 *   problems: ["server.py: FACTORIAL answer wrong"],
 *   diagnosis: "task2.factorial.overflow: 20! sent as a float",
 *   gradedAt: "2026-12-05T02:00:00.000Z",
 * };
 * assert.equal(record.total, record.task1 + record.task2);
 * ```
 */
export interface BatchRecord {
  /** The 8-digit student id. */
  studentId: number;
  /** Task 1 points the submitted client.py earned, out of 50. */
  task1: number;
  /** Task 2 points the submitted server.py earned, out of 40. */
  task2: number;
  /** `task1 + task2`, out of 90. */
  total: number;
  /** The rubric items of both tasks. */
  items: BatchItem[];
  /** Everything wrong, one line each (missing file, external import, ...). */
  problems: string[];
  /** The main diagnosis in words, or `null` when none. */
  diagnosis: string | null;
  /** When it was graded (ISO 8601, UTC). */
  gradedAt: string;
}

/** The batch results table; created on open, so older databases gain it. */
export const BATCH_SCHEMA = `
CREATE TABLE IF NOT EXISTS batch_results (
  student_id INTEGER NOT NULL PRIMARY KEY,
  task1      INTEGER NOT NULL CHECK (task1 >= 0),
  task2      INTEGER NOT NULL CHECK (task2 >= 0),
  total      INTEGER NOT NULL CHECK (total >= 0),
  items      TEXT    NOT NULL,
  problems   TEXT    NOT NULL,
  diagnosis  TEXT,
  graded_at  TEXT    NOT NULL
) STRICT`;

const UPSERT_BATCH = `
INSERT OR REPLACE INTO batch_results
  (student_id, task1, task2, total, items, problems, diagnosis, graded_at)
VALUES (:sid, :task1, :task2, :total, :items, :problems, :diagnosis, :gradedAt)`;

const SELECT_BATCH = `
SELECT student_id, task1, task2, total, items, problems, diagnosis, graded_at
FROM batch_results ORDER BY student_id`;

function points(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a whole number >= 0, got ${String(value)}`);
  }
  return value;
}

/**
 * Checks a record from a caller before it is stored: a valid student id,
 * whole points, `total` the sum, string problems, a parsable date. Throws
 * a `RangeError` or `TypeError` naming the field.
 *
 * @example
 * ```ts
 * import { checkBatchRecord } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * const ok = { studentId: 20200000, task1: 50, task2: 0, total: 50, items: [],
 *   problems: ["server.py missing"], diagnosis: null, gradedAt: "2026-12-05T02:00:00Z" };
 * checkBatchRecord(ok);
 * assert.throws(() => checkBatchRecord({ ...ok, total: 90 }), /total/);
 * ```
 */
export function checkBatchRecord(record: BatchRecord): void {
  const who = `batch record for ${String(record.studentId)}`;
  if (!isStudentId(record.studentId)) {
    throw new RangeError(`${who}: studentId must be an 8-digit student id`);
  }
  points(record.task1, `${who}: task1`);
  points(record.task2, `${who}: task2`);
  points(record.total, `${who}: total`);
  if (record.total !== record.task1 + record.task2) {
    throw new RangeError(`${who}: total ${record.total} is not task1 + task2`);
  }
  if (!Array.isArray(record.items)) throw new TypeError(`${who}: items must be a list`);
  for (const item of record.items) {
    if (item.task !== 1 && item.task !== 2) throw new RangeError(`${who}: item task must be 1|2`);
    if (typeof item.name !== "string") throw new TypeError(`${who}: item name must be text`);
    points(item.points, `${who}: item points`);
    points(item.outOf, `${who}: item outOf`);
  }
  if (!Array.isArray(record.problems) || record.problems.some((p) => typeof p !== "string")) {
    throw new TypeError(`${who}: problems must be a list of strings`);
  }
  if (record.diagnosis !== null && typeof record.diagnosis !== "string") {
    throw new TypeError(`${who}: diagnosis must be text or null`);
  }
  if (Number.isNaN(Date.parse(record.gradedAt))) {
    throw new RangeError(`${who}: gradedAt must be an ISO 8601 date`);
  }
}

/** Stores `records` in one transaction on `db` (replacing earlier ones per student). */
export function writeBatch(db: DatabaseSync, records: readonly BatchRecord[]): void {
  for (const record of records) checkBatchRecord(record);
  const upsert = db.prepare(UPSERT_BATCH);
  db.exec("BEGIN IMMEDIATE");
  try {
    for (const r of records) {
      upsert.run({
        sid: r.studentId,
        task1: r.task1,
        task2: r.task2,
        total: r.total,
        items: JSON.stringify(r.items),
        problems: JSON.stringify(r.problems),
        diagnosis: r.diagnosis,
        gradedAt: new Date(r.gradedAt).toISOString(),
      });
    }
    db.exec("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

interface BatchRow {
  student_id: number;
  task1: number;
  task2: number;
  total: number;
  items: string;
  problems: string;
  diagnosis: string | null;
  graded_at: string;
}

/** Every stored batch record, by student id. */
export function readBatch(db: DatabaseSync): BatchRecord[] {
  const rows = db.prepare(SELECT_BATCH).all() as unknown as BatchRow[];
  return rows.map((row) => ({
    studentId: row.student_id,
    task1: row.task1,
    task2: row.task2,
    total: row.total,
    items: JSON.parse(row.items) as BatchItem[],
    problems: JSON.parse(row.problems) as string[],
    diagnosis: row.diagnosis,
    gradedAt: row.graded_at,
  }));
}
