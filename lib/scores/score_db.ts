/**
 * The best-score database itself, synchronous, as `node:sqlite` is. Only the
 * storage worker (`score_worker.ts`) uses it, so a slow disk or another
 * process's lock never blocks a server's event loop.
 *
 * Every write is one explicit transaction: `BEGIN IMMEDIATE`, the upsert run
 * to completion, the row read back, `COMMIT` checked. A score counts as
 * stored only once its `COMMIT` returned; any failure (a full disk, a lock
 * held too long, an unwritable journal) throws, and the caller reports
 * "not stored". (A statement stepped once with `.get()` can hide a failed
 * implicit COMMIT, which is how the old store acknowledged lost scores.)
 *
 * @module
 */

import { now } from "../net/deadline.ts";
import { backup, DatabaseSync, type StatementSync } from "node:sqlite";
import {
  type AttemptFilter,
  type AttemptRecord,
  ATTEMPTS_SCHEMA,
  type NewAttempt,
  pruneAttempts,
  readAttempts,
  readReasons,
  type ReasonCount,
  writeAttempt,
} from "./attempt_history.ts";
import { BATCH_SCHEMA, type BatchRecord, readBatch, writeBatch } from "./batch_results.ts";

/** Which Practice #2 task a score belongs to. */
export type TaskNumber = 1 | 2;

/** One student's standing on one task. */
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

/** Which rows {@linkcode ScoreDb.rows} returns; every field narrows. */
export interface ScoreFilter {
  /** Only this task. */
  task?: TaskNumber | undefined;
  /** Only student ids whose decimal form starts with this. */
  idPrefix?: string | undefined;
}

/** What one recorded submission did. */
export interface RecordResult {
  /** The best score after this submission. */
  best: number;
  /** True when this submission raised the best score (or set the first). */
  improved: boolean;
}

/** How the database is opened. */
export interface ScoreDbOptions {
  /**
   * Largest database size in bytes (SQLite `max_page_count`); a write that
   * needs more fails as "database or disk is full". Default: no limit.
   */
  maxBytes?: number | undefined;
  /**
   * `"full"` (the default) syncs the disk at every commit, so an
   * acknowledged score survives a power cut as well as a crash (about 3.5 ms
   * per commit here); `"normal"` survives a process crash only.
   */
  synchronous?: "full" | "normal" | undefined;
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

// Insert, or keep max(best, new) and count the attempt. SET expressions all
// read the old row, so the best is never lowered whatever the order.
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
  last_at      = excluded.last_at`;

const READ_BACK = `
SELECT best, best_attempt = attempts AS improved FROM scores WHERE student_id = ? AND task = ?`;

const SELECT_ROWS = `
SELECT student_id AS studentId, task, best, last, attempts, best_at AS bestAt, last_at AS lastAt
FROM scores
WHERE (:task IS NULL OR task = :task) AND CAST(student_id AS TEXT) LIKE :prefix || '%' ESCAPE '\\'
ORDER BY student_id, task`;

/** The columns of `scores`, in order: a table of that name with others is not ours. */
const SCORE_COLUMNS = [
  "student_id",
  "task",
  "best",
  "last",
  "attempts",
  "best_attempt",
  "best_at",
  "last_at",
];

/**
 * Why SQLite's `-wal` or `-shm` file beside `path` cannot be used, or
 * `undefined`. A shared-memory file that cannot be written is mapped
 * read-only, and the first write through it kills the process with SIGBUS:
 * refuse it before, with what to do.
 */
function unusableSidecar(path: string): string | undefined {
  if (path === ":memory:" || path === "") return undefined;
  for (const suffix of ["-wal", "-shm"]) {
    const file = `${path}${suffix}`;
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(file);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    let why: string | undefined = info.isFile ? undefined : "it is not a regular file";
    if (why === undefined) {
      try {
        Deno.openSync(file, { read: true, write: true }).close();
      } catch (error) {
        // Gone since the stat: another process closed the database last and
        // SQLite removed it, which leaves nothing unusable.
        if (error instanceof Deno.errors.NotFound) continue;
        why = `it cannot be opened for writing (${error instanceof Error ? error.message : error})`;
      }
    }
    if (why !== undefined) {
      return `SQLite's ${suffix.slice(1)} file ${file} is unusable: ${why}. Nothing was changed. ` +
        "Make it a file the server's user can write (check owner and permissions), or, when no " +
        "server uses the database, move it away";
    }
  }
  return undefined;
}

/**
 * Why an existing file at `path` must not be used as the score database,
 * or `undefined` when it may: it is opened read-only (nothing written, no
 * journal mode switched) and must pass `PRAGMA quick_check`, and a `scores`
 * table in it must have this toolkit's columns.
 */
function refusal(path: string): string | undefined {
  if (path === ":memory:" || path === "") return undefined;
  try {
    if (Deno.statSync(path).size === 0) return undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    db.exec("PRAGMA busy_timeout = 5000");
    const problems = (db.prepare("PRAGMA quick_check(5)").all() as Record<string, unknown>[])
      .map((row) => String(Object.values(row)[0]));
    if (problems.length !== 1 || problems[0] !== "ok") {
      return `it is damaged (SQLite quick_check: ${problems.join("; ").slice(0, 300)})`;
    }
    const columns = (db.prepare("PRAGMA table_info(scores)").all() as { name: string }[])
      .map((column) => column.name);
    if (columns.length > 0 && columns.join(",") !== SCORE_COLUMNS.join(",")) {
      return `its 'scores' table is not this toolkit's (columns ${columns.join(", ")}; ` +
        `expected ${SCORE_COLUMNS.join(", ")}); another program's database?`;
    }
    return undefined;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (/locked|busy/i.test(why)) throw error;
    if (/malformed|corrupt/i.test(why)) return `it is damaged (SQLite: ${why})`;
    return `it cannot be read as a database (${why})`;
  } finally {
    db?.close();
  }
}

/** The synchronous best-score database; see the module documentation. */
export class ScoreDb {
  readonly #db: DatabaseSync;
  readonly #upsert: StatementSync;
  readonly #readBack: StatementSync;
  readonly #rows: StatementSync;
  readonly #best: StatementSync;

  /**
   * Opens (creating if needed) the database at `path`, in WAL mode. An
   * existing file is checked first, read-only (see `refusal`): a damaged or
   * foreign one is refused, unchanged, with a message saying why and what to
   * do.
   */
  constructor(path: string, options: ScoreDbOptions = {}) {
    const sidecar = unusableSidecar(path);
    if (sidecar !== undefined) throw new Error(sidecar);
    const refused = refusal(path);
    if (refused !== undefined) {
      throw new Error(
        `${refused}. It was not changed. Restore it from ` +
          "a backup (docs/deploy.md, Backups), or give --db a new file and keep this one " +
          "for inspection",
      );
    }
    const db = new DatabaseSync(path);
    try {
      // busy_timeout first: switching to WAL takes a lock that another
      // process opening the same new file may hold.
      db.exec("PRAGMA busy_timeout = 5000");
      db.exec("PRAGMA journal_mode = WAL");
      db.exec(`PRAGMA synchronous = ${options.synchronous === "normal" ? "NORMAL" : "FULL"}`);
      db.exec(SCHEMA);
      db.exec(BATCH_SCHEMA);
      db.exec(ATTEMPTS_SCHEMA);
      if (options.maxBytes !== undefined) {
        const { page_size } = db.prepare("PRAGMA page_size").get() as { page_size: number };
        const pages = Math.max(1, Math.floor(options.maxBytes / page_size));
        db.exec(`PRAGMA max_page_count = ${pages}`);
      }
      this.#upsert = db.prepare(UPSERT);
      this.#readBack = db.prepare(READ_BACK);
      this.#rows = db.prepare(SELECT_ROWS);
      this.#best = db.prepare("SELECT best FROM scores WHERE student_id = ? AND task = ?");
    } catch (error) {
      db.close();
      throw error;
    }
    this.#db = db;
  }

  /** Waits at most `ms` for another connection's lock before failing. */
  #waitAtMost(ms: number): void {
    this.#db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(ms))}`);
  }

  /**
   * Records `score` in one committed transaction and returns the best since.
   * Waits for a lock until `deadline` (a `now()` time, i.e. `performance.now()`); throws on any
   * failure, with nothing stored.
   */
  record(studentId: number, task: TaskNumber, score: number, deadline: number): RecordResult {
    if (!Number.isSafeInteger(score) || score < 0) {
      throw new RangeError(`Score must be a whole number >= 0, got ${score}`);
    }
    const waitMs = deadline - now();
    if (waitMs <= 0) {
      throw new Error(
        "gave up waiting for the database: earlier work on it outlasted the wait limit " +
          "(a slow or stalled disk?)",
      );
    }
    this.#waitAtMost(waitMs);
    try {
      this.#db.exec("BEGIN IMMEDIATE");
    } catch (error) {
      if (/locked|busy/i.test(String(error))) {
        throw new Error(
          `database is locked by another connection (waited ${Math.round(waitMs)} ms)`,
          { cause: error },
        );
      }
      throw error;
    }
    try {
      const now = new Date().toISOString();
      this.#upsert.run({ sid: studentId, task, score, now });
      const rows = this.#readBack.all(studentId, task) as { best: number; improved: number }[];
      const row = rows[0];
      if (row === undefined) throw new Error("the score row is missing after the upsert");
      this.#db.exec("COMMIT");
      return { best: row.best, improved: row.improved === 1 };
    } catch (error) {
      // A failed COMMIT may already have rolled back.
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /** The best score of a student on a task, or `undefined` if none. */
  best(studentId: number, task: TaskNumber): number | undefined {
    const rows = this.#best.all(studentId, task) as { best: number }[];
    return rows[0]?.best;
  }

  /** The rows `filter` selects, ordered by student id then task. */
  rows(filter: ScoreFilter = {}): ScoreRow[] {
    const prefix = (filter.idPrefix ?? "").replace(/[\\%_]/g, (c) => `\\${c}`);
    return this.#rows.all({ task: filter.task ?? null, prefix }) as unknown as ScoreRow[];
  }

  /**
   * Stores a batch grading run's records in one transaction, replacing a
   * student's earlier record; throws (nothing stored) on a bad record.
   */
  recordBatch(records: readonly BatchRecord[]): void {
    writeBatch(this.#db, records);
  }

  /**
   * Adds one attempt to the history in its own transaction, then keeps the
   * newest `keep` of its student and task (all when undefined); returns its id.
   */
  recordAttempt(attempt: NewAttempt, keep: number | undefined): number {
    return writeAttempt(this.#db, attempt, keep);
  }

  /** The attempts `filter` selects, newest first. */
  attempts(filter: AttemptFilter = {}): AttemptRecord[] {
    return readAttempts(this.#db, filter);
  }

  /** The most common failure reasons since `since` (all time when undefined). */
  failureReasons(since: string | undefined, limit: number): ReasonCount[] {
    return readReasons(this.#db, since, limit);
  }

  /** Keeps the newest `keep` attempts of each student and task; returns how many went. */
  pruneAttempts(keep: number): number {
    return pruneAttempts(this.#db, keep);
  }

  /** Every batch grading record, by student id. */
  batchResults(): BatchRecord[] {
    return readBatch(this.#db);
  }

  /**
   * Writes a consistent copy of the database to `file` with SQLite's online
   * backup, safe while servers write to it. `file` must not exist. (`VACUUM
   * INTO` would need ATTACH, which Deno allows only with every permission.)
   */
  async backup(file: string): Promise<void> {
    const exists = await Deno.lstat(file).then(() => true, () => false);
    if (exists) throw new Error(`backup file '${file}' already exists; choose a new name`);
    try {
      await backup(this.#db, file);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot write backup file '${file}': ${reason}`, { cause: error });
    }
  }

  /** Closes the database. */
  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
