/**
 * The best-score database: one row per student and task, kept in SQLite
 * through `node:sqlite`. The best-score rule lives in a single upsert, so
 * concurrent submissions, even from separate processes, never lose the
 * higher score.
 *
 * @module
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";
import { describeError } from "../net/errors.ts";

/**
 * Which Practice #2 task a score belongs to.
 *
 * @example
 * ```ts
 * import { ScoreStore, type TaskNumber } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * using store = ScoreStore.open(":memory:");
 * const task: TaskNumber = 2;
 * store.record(20200000, task, 40);
 * assert.equal(store.best(20200000, task), 40);
 * ```
 */
export type TaskNumber = 1 | 2;

/**
 * One student's standing on one task.
 */
export interface ScoreRow {
  /** The 8-digit student id. */
  studentId: number;
  /** 1 (decryption client, out of 50) or 2 (compute server, out of 40). */
  task: TaskNumber;
  /** The best score ever recorded. */
  best: number;
  /** The score of the latest submission. */
  last: number;
  /** How many submissions were recorded. */
  attempts: number;
  /** When the best score was first reached (ISO 8601, UTC). */
  bestAt: string;
  /** When the latest submission was recorded (ISO 8601, UTC). */
  lastAt: string;
}

/**
 * The outcome of {@linkcode ScoreStore.record}.
 *
 * @example
 * ```ts
 * import { ScoreStore, type RecordResult } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * using store = ScoreStore.open(":memory:");
 * const first: RecordResult = store.record(20200000, 1, 50);
 * assert.deepEqual(first, { best: 50, improved: true });
 * ```
 */
export interface RecordResult {
  /** The best score after this submission. */
  best: number;
  /** True when this submission raised the best score (or set the first). */
  improved: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS scores (
  student_id INTEGER NOT NULL,
  task       INTEGER NOT NULL CHECK (task IN (1, 2)),
  best       INTEGER NOT NULL CHECK (best >= 0),
  last       INTEGER NOT NULL CHECK (last >= 0),
  attempts   INTEGER NOT NULL DEFAULT 1,
  best_attempt INTEGER NOT NULL DEFAULT 1,
  best_at    TEXT    NOT NULL,
  last_at    TEXT    NOT NULL,
  PRIMARY KEY (student_id, task)
) STRICT`;

// One statement: insert, or keep max(best, new) and count the attempt.
// SET expressions all read the old row. RETURNING reports the best and
// whether this attempt is the one that set it.
const UPSERT = `
INSERT INTO scores (student_id, task, best, last, attempts, best_at, last_at)
VALUES (:sid, :task, :score, :score, 1, :now, :now)
ON CONFLICT (student_id, task) DO UPDATE SET
  best_attempt = CASE WHEN excluded.best > scores.best
                      THEN scores.attempts + 1 ELSE scores.best_attempt END,
  best_at      = CASE WHEN excluded.best > scores.best
                      THEN excluded.best_at ELSE scores.best_at END,
  best         = max(scores.best, excluded.best),
  last         = excluded.last,
  attempts     = scores.attempts + 1,
  last_at      = excluded.last_at
RETURNING best, best_attempt = attempts AS improved`;

const SELECT_ROWS = `
SELECT student_id AS studentId, task, best, last, attempts, best_at AS bestAt, last_at AS lastAt
FROM scores ORDER BY student_id, task`;

/**
 * The best score per student and task.
 *
 * @example
 * ```ts
 * import { ScoreStore } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * using store = ScoreStore.open(":memory:");
 * assert.deepEqual(store.record(20200000, 1, 30), { best: 30, improved: true });
 * assert.deepEqual(store.record(20200000, 1, 20), { best: 30, improved: false });
 * assert.equal(store.best(20200000, 1), 30);
 * assert.equal(store.best(20200000, 2), undefined);
 * ```
 */
export class ScoreStore implements Disposable {
  readonly #db: DatabaseSync;
  readonly #upsert: StatementSync;
  readonly #rows: StatementSync;
  readonly #best: StatementSync;

  private constructor(db: DatabaseSync) {
    this.#db = db;
    this.#upsert = db.prepare(UPSERT);
    this.#rows = db.prepare(SELECT_ROWS);
    this.#best = db.prepare(
      "SELECT best FROM scores WHERE student_id = ? AND task = ?",
    );
  }

  /**
   * Opens (creating if needed) the database at `path`, in WAL mode with a
   * busy timeout, so several server processes can share one file.
   * `":memory:"` gives a private in-memory database.
   */
  static open(path: string): ScoreStore {
    let db: DatabaseSync | undefined;
    try {
      db = new DatabaseSync(path);
      // busy_timeout first: switching to WAL takes a lock that another
      // process opening the same new file may hold.
      db.exec("PRAGMA busy_timeout = 5000");
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA synchronous = NORMAL");
      db.exec(SCHEMA);
      return new ScoreStore(db);
    } catch (error) {
      if (db?.isOpen) db.close();
      const reason = describeError(error);
      throw new Error(`Cannot open score database '${path}': ${reason}`, { cause: error });
    }
  }

  /** Records `score` for a submission and returns the best score since. */
  record(studentId: number, task: TaskNumber, score: number): RecordResult {
    if (!Number.isSafeInteger(score) || score < 0) {
      throw new RangeError(`Score must be a whole number >= 0, got ${score}`);
    }
    const now = new Date().toISOString();
    const row = this.#upsert.get({ sid: studentId, task, score, now }) as {
      best: number;
      improved: number;
    };
    return { best: row.best, improved: row.improved === 1 };
  }

  /** The best score of a student on a task, or `undefined` if none. */
  best(studentId: number, task: TaskNumber): number | undefined {
    const row = this.#best.get(studentId, task) as { best: number } | undefined;
    return row?.best;
  }

  /** Every row, ordered by student id then task. */
  rows(): ScoreRow[] {
    return this.#rows.all() as unknown as ScoreRow[];
  }

  /** Closes the database. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }

  /** Same as {@linkcode ScoreStore.close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }
}
