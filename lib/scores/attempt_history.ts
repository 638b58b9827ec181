/**
 * Every graded attempt, kept in the score database beside the best scores,
 * so the staff page and `server scores` show the history after a restart:
 * both tasks, the verdict, score, message, main diagnosis, the client's
 * address and the time. Best scores never depend on this table; pruning it
 * (`--keep-attempts`) keeps the newest attempts of each student and task.
 * This module holds the shapes, the escaping of peer text and the SQL; the
 * storage worker runs it.
 *
 * @module
 */

import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import { showText } from "../net/peer_text.ts";
import { OUT_OF } from "./task_marks.ts";

/** One graded attempt as stored; text fields are escaped already. */
export interface AttemptRecord {
  /** Its row number, growing with time. */
  id: number;
  /** 1 (decryption client) or 2 (compute server). */
  task: 1 | 2;
  /** The student id, or `null` when no valid header named one. */
  studentId: number | null;
  /** The header's keyword (Task 1: `sbmt` submits), or `null`. */
  keyword: string | null;
  /** The client's address (Task 1) or the server tested (Task 2), `host:port`. */
  peer: string;
  /** Points earned. */
  score: number;
  /** Full marks of the task (50 or 40). */
  outOf: number;
  /** `GOOD` at full marks, else `FAIL`. */
  verdict: "GOOD" | "FAIL";
  /** The result message. */
  message: string;
  /** The main diagnosis's catalogue id, or `null`. */
  diagnosis: string | null;
  /** The main diagnosis in words, or `null`. */
  diagnosisMessage: string | null;
  /** The best score after this one, when it was stored. */
  best: number | null;
  /** For a FAIL, a short reason to count alike failures by, else `null`. */
  reason: string | null;
  /** When it ended (ISO 8601, UTC). */
  at: string;
}

/** What a server tells the history about one attempt; the rest is derived. */
export interface NewAttempt {
  /** 1 or 2. */
  task: 1 | 2;
  /** The student id, when known. */
  studentId?: number | null | undefined;
  /** The keyword, when known. */
  keyword?: string | null | undefined;
  /** `host:port`. */
  peer: string;
  /** Points earned. */
  score: number;
  /** The result message. */
  message: string;
  /** The main diagnosis, when one was found. */
  diagnosis?: { id: string; message: string } | null | undefined;
  /** The best score after storing it, when stored. */
  best?: number | null | undefined;
  /** When it ended; default now. */
  at?: string | undefined;
}

/** Which attempts {@linkcode readAttempts} returns, newest first. */
export interface AttemptFilter {
  /** Only this student's. */
  studentId?: number | undefined;
  /** Only this task's. */
  task?: 1 | 2 | undefined;
  /** Only student ids starting with these digits. */
  idPrefix?: string | undefined;
  /** Only this verdict. */
  verdict?: "GOOD" | "FAIL" | undefined;
  /** At most this many (default 200, at most 10 000). */
  limit?: number | undefined;
}

/** How often one failure reason was seen. */
export interface ReasonCount {
  /** The reason (a diagnosis id, or the head of the message). */
  reason: string;
  /** Attempts that failed for it. */
  count: number;
}

/** Longest message kept, in characters. */
const MAX_MESSAGE = 2_000;

/** The attempts table and its indexes; created on open, so older databases gain them. */
export const ATTEMPTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS attempts (
  id         INTEGER PRIMARY KEY,
  task       INTEGER NOT NULL CHECK (task IN (1, 2)),
  student_id INTEGER,
  keyword    TEXT,
  peer       TEXT    NOT NULL,
  score      INTEGER NOT NULL CHECK (score >= 0),
  verdict    TEXT    NOT NULL CHECK (verdict IN ('GOOD', 'FAIL')),
  message    TEXT    NOT NULL,
  diagnosis  TEXT,
  diagnosis_message TEXT,
  best       INTEGER,
  reason     TEXT,
  at         TEXT    NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS attempts_by_student ON attempts (student_id, task, id);
CREATE INDEX IF NOT EXISTS attempts_by_time ON attempts (at)`;

/**
 * Escapes control characters but keeps backslashes: the grading server's
 * messages quote peer bytes already escaped (`keyword '<\x1b[>'`), and
 * escaping their backslashes again would show `\\x1b` on the staff page.
 *
 * @example
 * ```ts
 * import { showControls } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * assert.equal(showControls("keyword '<\\x1b[>' \x1b[2J"), "keyword '<\\x1b[>' \\x1b[2J");
 * ```
 */
export function showControls(text: string): string {
  return text.split("\\").map(showText).join("\\");
}

/**
 * The short reason a failure is counted by: the diagnosis id when there is
 * one, else the message up to its first `:` or `;`, digits as `N`.
 *
 * @example
 * ```ts
 * import { failureReason } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * assert.equal(failureReason("DECRYPTED DATA MISMATCH: byte 3", null), "DECRYPTED DATA MISMATCH");
 * assert.equal(failureReason("anything", "task1.checksum.wrong"), "task1.checksum.wrong");
 * ```
 */
export function failureReason(message: string, diagnosis: string | null): string {
  if (diagnosis !== null && diagnosis !== "") return diagnosis;
  const head = message.split(/[:;]/)[0]!.replace(/\d+/g, "N").trim();
  return head === "" ? "(no message)" : head.slice(0, 80);
}

/** Adds `attempt` (escaped, capped), then keeps only the newest `keep` of its student and task. */
export function writeAttempt(
  db: DatabaseSync,
  attempt: NewAttempt,
  keep: number | undefined,
): number {
  if (attempt.task !== 1 && attempt.task !== 2) throw new RangeError("task must be 1 or 2");
  if (!Number.isSafeInteger(attempt.score) || attempt.score < 0) {
    throw new RangeError(`Score must be a whole number >= 0, got ${attempt.score}`);
  }
  const message = showControls(attempt.message).slice(0, MAX_MESSAGE);
  const diagnosis = attempt.diagnosis ?? null;
  const verdict = attempt.score >= OUT_OF[attempt.task] ? "GOOD" : "FAIL";
  const diagnosisId = diagnosis === null ? null : showText(diagnosis.id).slice(0, 200);
  const values: Record<string, SQLInputValue> = {
    task: attempt.task,
    sid: attempt.studentId ?? null,
    keyword: attempt.keyword === undefined || attempt.keyword === null
      ? null
      : showText(attempt.keyword).slice(0, 100),
    peer: showText(attempt.peer).slice(0, 200),
    score: attempt.score,
    verdict,
    message,
    diagnosis: diagnosisId,
    diagnosisMessage: diagnosis === null
      ? null
      : showControls(diagnosis.message).slice(0, MAX_MESSAGE),
    best: attempt.best ?? null,
    reason: verdict === "GOOD" ? null : failureReason(message, diagnosisId),
    at: attempt.at ?? new Date().toISOString(),
  };
  // No disk sync of its own: the history is not worth 3 ms of the queue the
  // scores share. The next synced commit (a score) makes it durable too; a
  // power cut may lose the last few attempts, never a score.
  const { synchronous } = db.prepare("PRAGMA synchronous").get() as { synchronous: number };
  if (synchronous > 1) db.exec("PRAGMA synchronous = NORMAL");
  db.exec("BEGIN IMMEDIATE");
  try {
    const { lastInsertRowid } = db.prepare(
      `INSERT INTO attempts (task, student_id, keyword, peer, score, verdict, message,
         diagnosis, diagnosis_message, best, reason, at)
       VALUES (:task, :sid, :keyword, :peer, :score, :verdict, :message,
         :diagnosis, :diagnosisMessage, :best, :reason, :at)`,
    ).run(values);
    if (keep !== undefined) {
      db.prepare(
        `DELETE FROM attempts WHERE student_id IS :sid AND task = :task AND id <= (
           SELECT id FROM attempts WHERE student_id IS :sid AND task = :task
           ORDER BY id DESC LIMIT 1 OFFSET :keep)`,
      ).run({ sid: values.sid!, task: attempt.task, keep });
    }
    db.exec("COMMIT");
    return Number(lastInsertRowid);
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  } finally {
    if (synchronous > 1) db.exec(`PRAGMA synchronous = ${synchronous}`);
  }
}

/** Keeps only the newest `keep` attempts of each student and task; returns how many went. */
export function pruneAttempts(db: DatabaseSync, keep: number): number {
  const { changes } = db.prepare(
    `DELETE FROM attempts WHERE id IN (
       SELECT id FROM (SELECT id, row_number() OVER (
         PARTITION BY student_id, task ORDER BY id DESC) AS n FROM attempts)
       WHERE n > :keep)`,
  ).run({ keep });
  return Number(changes);
}

interface AttemptRow extends Omit<AttemptRecord, "outOf"> {}

/** The attempts `filter` selects, newest first. */
export function readAttempts(db: DatabaseSync, filter: AttemptFilter = {}): AttemptRecord[] {
  const limit = Math.max(1, Math.min(10_000, Math.floor(filter.limit ?? 200)));
  const prefix = (filter.idPrefix ?? "").replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = db.prepare(
    `SELECT id, task, student_id AS studentId, keyword, peer, score, verdict, message, diagnosis,
       diagnosis_message AS diagnosisMessage, best, reason, at
     FROM attempts
     WHERE (:sid IS NULL OR student_id = :sid) AND (:task IS NULL OR task = :task)
       AND (:verdict IS NULL OR verdict = :verdict)
       AND (:prefix = '' OR CAST(student_id AS TEXT) LIKE :prefix || '%' ESCAPE '\\')
     ORDER BY id DESC LIMIT :limit`,
  ).all({
    sid: filter.studentId ?? null,
    task: filter.task ?? null,
    verdict: filter.verdict ?? null,
    prefix,
    limit,
  }) as unknown as AttemptRow[];
  return rows.map((row) => ({ ...row, outOf: OUT_OF[row.task] }));
}

/** The most common failure reasons since `since` (ISO 8601; all time when undefined). */
export function readReasons(
  db: DatabaseSync,
  since: string | undefined,
  limit: number,
): ReasonCount[] {
  return db.prepare(
    `SELECT reason, count(*) AS count FROM attempts
     WHERE verdict = 'FAIL' AND (:since IS NULL OR at >= :since)
     GROUP BY reason ORDER BY count DESC, reason LIMIT :limit`,
  ).all({ since: since ?? null, limit }) as unknown as ReasonCount[];
}
