/**
 * What the staff page shows, as JSON-ready objects with one field naming
 * (camelCase, `outOf` everywhere): the class summary per task, the score
 * distribution, the most common failure reasons, best scores, the attempt
 * history from the score database, batch results, and one student's view.
 * Ids (in messages too) are masked when asked, and a student is then named
 * by an opaque key instead of the id.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { AttemptRecord, ReasonCount } from "./attempt_history.ts";
import type { ActiveSession, AttemptsLog } from "./attempts_log.ts";
import type { BatchItem, BatchRecord } from "./batch_results.ts";
import { maskId, OUT_OF } from "./score_export.ts";
import type { ScoreRow, ScoreStore } from "./score_store.ts";

/** One best-score row (a student and a task). */
export interface StaffScore {
  /** The student id, or `*****234` when masked. */
  studentId: string;
  /** Names the student in `/api/student?key=` (the id itself unless masked). */
  key: string;
  /** 1 or 2. */
  task: 1 | 2;
  /** Best score. */
  best: number;
  /** Full marks of the task. */
  outOf: number;
  /** Score of the latest submission. */
  last: number;
  /** Submissions recorded. */
  attempts: number;
  /** When the best was first reached (ISO 8601). */
  bestAt: string;
  /** When the latest submission was recorded (ISO 8601). */
  lastAt: string;
}

/**
 * One attempt of the history as the page shows it (text escaped already):
 * the stored record's fields, with `n` for its number, the student id as
 * text (maybe masked) and the student's key.
 */
export interface StaffAttempt extends Omit<AttemptRecord, "id" | "studentId" | "reason"> {
  /** The attempt's number in the history (grows with time). */
  n: number;
  /** The student id (maybe masked), or `null` before a valid header. */
  studentId: string | null;
  /** The student's key, or `null`. */
  key: string | null;
}

/** A batch grading record as the page shows it. */
export interface StaffBatch {
  /** The student id, maybe masked. */
  studentId: string;
  /** The student's key. */
  key: string;
  /** Task 1 points of the submitted client.py. */
  task1: number;
  /** Task 2 points of the submitted server.py. */
  task2: number;
  /** `task1 + task2`. */
  total: number;
  /** 90. */
  outOf: number;
  /** The rubric items. */
  items: BatchItem[];
  /** What was wrong, one line each. */
  problems: string[];
  /** The main diagnosis, or `null`. */
  diagnosis: string | null;
  /** When it was graded (ISO 8601). */
  gradedAt: string;
}

/** The class at a glance for one task. */
export interface TaskSummary {
  /** 1 or 2. */
  task: 1 | 2;
  /** Full marks. */
  outOf: number;
  /** Students whose best is full marks. */
  fullMarks: number;
  /** Students with any score. */
  withScore: number;
  /** Roster students without a score, or `null` without a roster. */
  rosterWithout: number | null;
  /** Students per best-score band of 5 points: [0-4, 5-9, ..., full marks]. */
  distribution: number[];
}

/** Which rows the state holds; from `?task=`, `?prefix=`, `?verdict=`. */
export interface StaffFilter {
  /** Only this task. */
  task?: 1 | 2 | undefined;
  /** Only ids starting with these digits (ignored when ids are masked). */
  idPrefix?: string | undefined;
  /** Only attempts with this verdict. */
  verdict?: "GOOD" | "FAIL" | undefined;
}

/** Everything the staff page shows. */
export interface StaffState {
  /** When this was put together (ISO 8601). */
  generatedAt: string;
  /** Whether ids are masked. */
  maskIds: boolean;
  /** The filter applied. */
  filter: { task: 1 | 2 | null; idPrefix: string | null; verdict: "GOOD" | "FAIL" | null };
  /** Students on the roster, or `null` without one. */
  rosterSize: number | null;
  /** Per task (both, or the filtered one). */
  summary: TaskSummary[];
  /** The most common failure reasons. */
  reasons: { lastHour: ReasonCount[]; allTime: ReasonCount[] };
  /** Best scores, by id then task. */
  scores: StaffScore[];
  /** The latest attempts, newest first. */
  attempts: StaffAttempt[];
  /** Batch grading records, by id (empty when no batch run wrote any). */
  batch: StaffBatch[];
  /** Roster students without any score (of the filtered task), by id. */
  missing: { studentId: string; key: string }[];
  /** Sessions open now. */
  active: ActiveSession[];
  /** Attempts ended in each of the last 10 minutes, oldest first. */
  perMinute: number[];
}

/** One student's page: every score, every attempt and the batch record. */
export interface StudentView {
  /** The student id, maybe masked. */
  studentId: string;
  /** The student's key. */
  key: string;
  /** Best scores. */
  scores: StaffScore[];
  /** Every attempt kept, newest first. */
  attempts: StaffAttempt[];
  /** The batch record, or `null`. */
  batch: StaffBatch | null;
}

/** What else the state is built from. */
export interface StaffSources {
  /** Open sessions and attempts per minute; none when undefined. */
  log?: AttemptsLog | undefined;
  /** The roster, for "on the roster without a score". */
  roster?: ReadonlySet<number> | undefined;
  /** Mask ids. */
  maskIds?: boolean | undefined;
  /** Attempts listed (default 50). */
  attempts?: number | undefined;
}

// Keys of masked ids: a hash with a secret of this process, so the page can
// name a student without showing the id, and the key cannot be guessed back.
const SECRET = crypto.getRandomValues(new Uint8Array(16));

/**
 * The key naming student `id` in the page and `/api/student`: the id
 * itself, or, when ids are masked, a hash with a secret of this process.
 *
 * @example
 * ```ts
 * import { studentKey } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * assert.equal(studentKey(20200000, false), "20200000");
 * assert.doesNotMatch(studentKey(20200000, true), /20200000/);
 * ```
 */
export function studentKey(id: number, masked: boolean): string {
  if (!masked) return String(id);
  return createHash("sha256").update(SECRET).update(String(id)).digest("hex").slice(0, 16);
}

/** Masks every id-like number (7+ digits) in text, when asked. */
const maskText = (text: string, masked: boolean) =>
  masked ? text.replace(/\b\d{7,}\b/g, maskId) : text;

function showScore(row: ScoreRow, masked: boolean): StaffScore {
  return {
    studentId: masked ? maskId(row.studentId) : String(row.studentId),
    key: studentKey(row.studentId, masked),
    task: row.task,
    best: row.best,
    outOf: OUT_OF[row.task],
    last: row.last,
    attempts: row.attempts,
    bestAt: row.bestAt,
    lastAt: row.lastAt,
  };
}

function showAttempt(a: AttemptRecord, masked: boolean): StaffAttempt {
  const sid = a.studentId;
  return {
    n: a.id,
    at: a.at,
    task: a.task,
    studentId: sid === null ? null : masked ? maskId(sid) : String(sid),
    key: sid === null ? null : studentKey(sid, masked),
    keyword: a.keyword,
    peer: a.peer,
    score: a.score,
    outOf: a.outOf,
    verdict: a.verdict,
    message: maskText(a.message, masked),
    diagnosis: a.diagnosis,
    diagnosisMessage: a.diagnosisMessage === null ? null : maskText(a.diagnosisMessage, masked),
    best: a.best,
  };
}

function showBatch(b: BatchRecord, masked: boolean): StaffBatch {
  return {
    studentId: masked ? maskId(b.studentId) : String(b.studentId),
    key: studentKey(b.studentId, masked),
    task1: b.task1,
    task2: b.task2,
    total: b.total,
    outOf: OUT_OF[1] + OUT_OF[2],
    items: b.items,
    problems: b.problems.map((p) => maskText(p, masked)),
    diagnosis: b.diagnosis === null ? null : maskText(b.diagnosis, masked),
    gradedAt: b.gradedAt,
  };
}

function summarize(
  task: 1 | 2,
  rows: readonly ScoreRow[],
  roster: ReadonlySet<number> | undefined,
): TaskSummary {
  const outOf = OUT_OF[task];
  const mine = rows.filter((row) => row.task === task);
  const distribution = new Array<number>(Math.floor(outOf / 5) + 1).fill(0);
  for (const row of mine) {
    distribution[Math.min(distribution.length - 1, Math.floor(row.best / 5))]!++;
  }
  const scored = new Set(mine.map((row) => row.studentId));
  return {
    task,
    outOf,
    fullMarks: mine.filter((row) => row.best >= outOf).length,
    withScore: mine.length,
    rosterWithout: roster === undefined ? null : [...roster].filter((id) => !scored.has(id)).length,
    distribution,
  };
}

/**
 * Best-score rows as the staff page and `/api/scores` show them.
 *
 * @example
 * ```ts
 * import { staffScores } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * const [row] = staffScores([{ studentId: 20200000, task: 2, best: 40, last: 30, attempts: 2,
 *   bestAt: "2026-12-05T02:00:00.000Z", lastAt: "2026-12-05T02:10:00.000Z" }], true);
 * assert.equal(row?.studentId, "*****000");
 * assert.equal(row?.outOf, 40);
 * ```
 */
export function staffScores(rows: readonly ScoreRow[], masked: boolean): StaffScore[] {
  return rows.map((row) => showScore(row, masked));
}

/**
 * Builds the staff page's state from the database (scores, history, batch
 * results) and, when given, the live log and the roster; ids masked when
 * `maskIds` (in messages too).
 *
 * @example
 * ```ts
 * import { ScoreStore, staffState } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * await using store = await ScoreStore.open(":memory:");
 * await store.record(20201234, 1, 50);
 * await store.recordAttempt({ task: 1, studentId: 20205678, peer: "127.0.0.1:1", score: 50,
 *   message: "DECRYPTED DATA MATCH & REGISTRATION FAIL: student id 20205678 is not on the roster" });
 * const state = await staffState(store, { maskIds: true, roster: new Set([20201234, 20209999]) });
 * assert.equal(state.scores[0]!.studentId, "*****234");
 * assert.equal(state.attempts[0]!.studentId, "*****678");
 * assert.match(state.attempts[0]!.message, /student id \*{5}678 is not/);
 * assert.deepEqual(state.summary.map((s) => [s.fullMarks, s.withScore, s.rosterWithout]),
 *   [[1, 1, 1], [0, 0, 2]]);
 * ```
 */
export async function staffState(
  store: ScoreStore,
  sources: StaffSources = {},
  filter: StaffFilter = {},
): Promise<StaffState> {
  const masked = sources.maskIds ?? false;
  const idPrefix = masked ? undefined : filter.idPrefix || undefined;
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  const [all, attempts, batch, lastHour, allTime] = await Promise.all([
    store.rows({ task: filter.task }),
    store.attempts({
      task: filter.task,
      idPrefix,
      verdict: filter.verdict,
      limit: sources.attempts ?? 50,
    }),
    store.batchResults(),
    store.failureReasons(hourAgo, 5),
    store.failureReasons(undefined, 5),
  ]);
  const rows = idPrefix === undefined
    ? all
    : all.filter((row) => String(row.studentId).startsWith(idPrefix));
  const scored = new Set(all.map((row) => row.studentId));
  const tasks: (1 | 2)[] = filter.task === undefined ? [1, 2] : [filter.task];
  return {
    generatedAt: new Date().toISOString(),
    maskIds: masked,
    filter: {
      task: filter.task ?? null,
      idPrefix: idPrefix ?? null,
      verdict: filter.verdict ?? null,
    },
    rosterSize: sources.roster?.size ?? null,
    summary: tasks.map((task) => summarize(task, all, sources.roster)),
    reasons: { lastHour, allTime },
    scores: rows.map((row) => showScore(row, masked)),
    attempts: attempts.map((a) => showAttempt(a, masked)),
    batch: batch
      .filter((b) => idPrefix === undefined || String(b.studentId).startsWith(idPrefix))
      .map((b) => showBatch(b, masked)),
    missing: [...(sources.roster ?? [])]
      .filter((id) => !scored.has(id))
      .filter((id) => idPrefix === undefined || String(id).startsWith(idPrefix))
      .sort((a, b) => a - b)
      .map((id) => ({ studentId: masked ? maskId(id) : String(id), key: studentKey(id, masked) })),
    active: sources.log?.active() ?? [],
    perMinute: sources.log?.perMinute() ?? new Array<number>(10).fill(0),
  };
}

/**
 * One student's view, for the student named by `key` (see
 * {@linkcode studentKey}), or `undefined` when no such student is known.
 *
 * @example
 * ```ts
 * import { ScoreStore, studentView } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * await using store = await ScoreStore.open(":memory:");
 * await store.recordAttempt({ task: 2, studentId: 20200000, peer: "127.0.0.1:9", score: 40,
 *   message: "Fib 4, Fact 4, Word 4" });
 * const view = await studentView(store, "20200000", false);
 * assert.equal(view?.attempts[0]?.verdict, "GOOD");
 * assert.equal(await studentView(store, "20209999", false), undefined);
 * ```
 */
export async function studentView(
  store: ScoreStore,
  key: string,
  masked: boolean,
  roster?: ReadonlySet<number>,
): Promise<StudentView | undefined> {
  const [rows, batch] = await Promise.all([store.rows(), store.batchResults()]);
  let id: number | undefined;
  if (!masked) {
    id = /^[1-9]\d{7}$/.test(key) ? Number(key) : undefined;
  } else {
    const known = new Set<number>([
      ...rows.map((row) => row.studentId),
      ...batch.map((b) => b.studentId),
      ...(roster ?? []),
      ...(await store.attempts({ limit: 10_000 })).flatMap((a) =>
        a.studentId === null ? [] : [a.studentId]
      ),
    ]);
    id = [...known].find((candidate) => studentKey(candidate, true) === key);
  }
  if (id === undefined) return undefined;
  const attempts = await store.attempts({ studentId: id, limit: 10_000 });
  const scores = rows.filter((row) => row.studentId === id);
  const record = batch.find((b) => b.studentId === id);
  if (scores.length === 0 && attempts.length === 0 && record === undefined && !roster?.has(id)) {
    return undefined;
  }
  return {
    studentId: masked ? maskId(id) : String(id),
    key,
    scores: scores.map((row) => showScore(row, masked)),
    attempts: attempts.map((a) => showAttempt(a, masked)),
    batch: record === undefined ? null : showBatch(record, masked),
  };
}
