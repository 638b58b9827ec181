/**
 * What the staff page shows, as one JSON-ready object: built from the score
 * database and the attempts log, ids masked when asked.
 *
 * @module
 */

import type { ActiveSession, AttemptsLog } from "./attempts_log.ts";
import { maskId, OUT_OF } from "./score_export.ts";
import type { ScoreStore } from "./score_store.ts";

/** One best-score row of the staff page. */
export interface StaffScore {
  /** The student id, or its last 3 digits when masked. */
  id: string;
  /** 1 or 2. */
  task: 1 | 2;
  /** Best score. */
  best: number;
  /** Full marks of the task. */
  outOf: number;
  /** Submissions recorded. */
  attempts: number;
  /** When the latest submission was recorded (ISO 8601). */
  lastAt: string;
}

/** One recent attempt of the staff page; text is escaped already. */
export interface StaffAttempt {
  /** When it ended (ISO 8601). */
  at: string;
  /** The client's address. */
  peer: string;
  /** The student id (maybe masked), or `null` before a valid header. */
  id: string | null;
  /** The keyword, or `null` before a valid header. */
  keyword: string | null;
  /** Points out of 50. */
  score: number;
  /** GOOD or FAIL. */
  verdict: "GOOD" | "FAIL";
  /** The result message, with the reason for a FAIL. */
  message: string;
  /** Best score after it, when stored. */
  best: number | null;
}

/** Everything the staff page shows. */
export interface StaffState {
  /** When this was put together (ISO 8601). */
  generatedAt: string;
  /** Whether ids are masked. */
  maskIds: boolean;
  /** Best scores, by id then task. */
  scores: StaffScore[];
  /** The last attempts, newest first. */
  attempts: StaffAttempt[];
  /** Sessions open now. */
  active: ActiveSession[];
  /** Attempts ended in each of the last 10 minutes, oldest first. */
  perMinute: number[];
}

/**
 * Builds the staff page's state; ids masked when `maskIds` (in messages
 * too).
 *
 * @example
 * ```ts
 * import { AttemptsLog, ScoreStore, staffState } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * await using store = await ScoreStore.open(":memory:");
 * await store.record(20201234, 1, 50);
 * const log = new AttemptsLog();
 * log.finish({ peer: "127.0.0.1:1", sid: 20205678, keyword: "sbmt", score: 50,
 *   message: "DECRYPTED DATA MATCH & REGISTRATION FAIL: student id 20205678 is not on the roster" });
 * const state = await staffState(store, log, true);
 * assert.equal(state.scores[0]!.id, "*****234");
 * assert.equal(state.attempts[0]!.id, "*****678");
 * assert.match(state.attempts[0]!.message, /student id \*{5}678 is not/);
 * ```
 */
export async function staffState(
  store: ScoreStore,
  log: AttemptsLog,
  maskIds: boolean,
): Promise<StaffState> {
  const show = (id: number) => (maskIds ? maskId(id) : String(id));
  const rows = await store.rows();
  return {
    generatedAt: new Date().toISOString(),
    maskIds,
    scores: rows.map((row) => ({
      id: show(row.studentId),
      task: row.task,
      best: row.best,
      outOf: OUT_OF[row.task],
      attempts: row.attempts,
      lastAt: row.lastAt,
    })),
    attempts: log.recent().map((a) => ({
      at: a.at,
      peer: a.peer,
      id: a.sid === undefined ? null : show(a.sid),
      keyword: a.keyword ?? null,
      score: a.score,
      verdict: a.verdict,
      // A message may name the id too ("student id ... is not on the roster"),
      // or a mistyped one ("sid 202000001 is not an 8-digit student id").
      message: maskIds ? a.message.replace(/\b\d{7,}\b/g, maskId) : a.message,
      best: a.best ?? null,
    })),
    active: log.active(),
    perMinute: log.perMinute(),
  };
}
