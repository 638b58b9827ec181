/**
 * The best-score database: one row per student and task, kept in SQLite
 * through `node:sqlite`, used from a worker (`score_worker.ts`) that owns the
 * connection, so storing never blocks the event loop. The best-score rule
 * lives in a single upsert, so concurrent submissions, even from separate
 * processes, never lose the higher score; a score is reported stored only
 * after its COMMIT succeeded.
 *
 * @module
 */

import { now } from "../net/deadline.ts";
import { PendingCalls } from "../net/worker_rpc.ts";
import type {
  RecordResult,
  ScoreDbOptions,
  ScoreFilter,
  ScoreRow,
  TaskNumber,
} from "./score_db.ts";
import type { AttemptFilter, AttemptRecord, NewAttempt, ReasonCount } from "./attempt_history.ts";
import { type BatchRecord, checkBatchRecord } from "./batch_results.ts";
import type { WorkerReply, WorkerRequest } from "./score_protocol.ts";

export type {
  AttemptFilter,
  AttemptRecord,
  BatchRecord,
  NewAttempt,
  ReasonCount,
  RecordResult,
  ScoreFilter,
  ScoreRow,
  TaskNumber,
};

/** Longest wait for another process's lock when storing, in ms, by default. */
export const DEFAULT_STORE_WAIT_MS = 5_000;

/**
 * How {@linkcode ScoreStore.open} opens the database.
 *
 * @example
 * ```ts
 * import { ScoreStore, type ScoreStoreOptions } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * const options: ScoreStoreOptions = { waitMs: 1000 };
 * await using store = await ScoreStore.open(":memory:", options);
 * assert.deepEqual(await store.record(20200000, 1, 50), { best: 50, improved: true });
 * ```
 */
export interface ScoreStoreOptions extends ScoreDbOptions {
  /**
   * Longest time a {@linkcode ScoreStore.record} call waits, counted from
   * the call, while another process holds the database lock or earlier
   * calls are queued; then it fails and nothing is stored. Default
   * {@linkcode DEFAULT_STORE_WAIT_MS}.
   */
  waitMs?: number | undefined;
}

/**
 * A score database operation failed: the message says what and why
 * ("database or disk is full", "database is locked ...").
 *
 * @example
 * ```ts
 * import { ScoreStore, ScoreStoreError } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(ScoreStore.open("/nonexistent/dir/scores.db"), ScoreStoreError);
 * ```
 */
export class ScoreStoreError extends Error {
  /** Creates the error; `options.cause` keeps the underlying one. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ScoreStoreError";
  }
}

type Request = WorkerRequest extends infer R ? R extends unknown ? Omit<R, "id"> : never
  : never;

/**
 * The best score per student and task. Open it with
 * {@linkcode ScoreStore.open}; every method is asynchronous and rejects with
 * {@linkcode ScoreStoreError} when the database fails.
 *
 * @example
 * ```ts
 * import { ScoreStore } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * await using store = await ScoreStore.open(":memory:");
 * assert.deepEqual(await store.record(20200000, 1, 30), { best: 30, improved: true });
 * assert.deepEqual(await store.record(20200000, 1, 20), { best: 30, improved: false });
 * assert.equal(await store.best(20200000, 1), 30);
 * assert.equal(await store.best(20200000, 2), undefined);
 * ```
 */
export class ScoreStore implements AsyncDisposable {
  readonly #worker: Worker;
  // Without the path: the grading server sends these messages to the client.
  readonly #calls = new PendingCalls({
    rebuild: ({ name, message }) => new ScoreStoreError(message, { cause: { name } }),
  });
  readonly #waitMs: number;
  #closed: Promise<void> | undefined;

  private constructor(waitMs: number) {
    this.#waitMs = waitMs;
    this.#worker = new Worker(new URL("./score_worker.ts", import.meta.url).href, {
      type: "module",
    });
    this.#worker.onmessage = (event: MessageEvent<WorkerReply>) => this.#calls.settle(event.data);
    this.#worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this.#fail(this.#error(`the storage worker failed: ${event.message}`));
    };
    this.#worker.onmessageerror = () => {
      this.#fail(this.#error("the storage worker sent an unreadable message"));
    };
  }

  // Without the path: the grading server sends this message to the client.
  #error(message: string, cause?: unknown): ScoreStoreError {
    return new ScoreStoreError(message, { cause });
  }

  #fail(error: Error): void {
    this.#calls.rejectAll(error);
    this.#worker.terminate();
  }

  #call(request: Request): Promise<unknown> {
    if (this.#calls.broken === undefined && this.#closed !== undefined && request.op !== "close") {
      return Promise.reject(this.#error("the store is closed"));
    }
    return this.#calls.start((id) => this.#worker.postMessage({ ...request, id }));
  }

  /**
   * Opens (creating if needed) the database at `path` in a storage worker,
   * in WAL mode, so several server processes can share one file.
   * `":memory:"` gives a private in-memory database. Rejects with
   * {@linkcode ScoreStoreError} when it cannot be opened.
   */
  static async open(path: string, options: ScoreStoreOptions = {}): Promise<ScoreStore> {
    const waitMs = options.waitMs ?? DEFAULT_STORE_WAIT_MS;
    if (!(waitMs >= 0)) throw new RangeError(`waitMs must be >= 0, got ${waitMs}`);
    const store = new ScoreStore(waitMs);
    try {
      const { maxBytes, synchronous } = options;
      await store.#call({ op: "open", path, options: { maxBytes, synchronous } });
    } catch (error) {
      await store.close();
      const reason = error instanceof Error ? error.message : String(error);
      // A binary built without the worker file cannot start it.
      const hint = /storage worker failed/.test(reason)
        ? " (a deno compile build needs --include lib/scores/score_worker.ts)"
        : "";
      throw new ScoreStoreError(`Cannot open score database '${path}': ${reason}${hint}`, {
        cause: error,
      });
    }
    return store;
  }

  /**
   * Records `score` for a submission and resolves the best score since,
   * only once the transaction has committed. Rejects, with nothing stored,
   * on any failure, or when the lock is not had within `waitMs`.
   */
  record(studentId: number, task: TaskNumber, score: number): Promise<RecordResult> {
    if (!Number.isSafeInteger(score) || score < 0) {
      return Promise.reject(new RangeError(`Score must be a whole number >= 0, got ${score}`));
    }
    // Sent across threads: on the clock every thread shares.
    const deadline = performance.timeOrigin + now() + this.#waitMs;
    return this.#call({ op: "record", studentId, task, score, deadline }) as Promise<RecordResult>;
  }

  /** The best score of a student on a task, or `undefined` if none. */
  async best(studentId: number, task: TaskNumber): Promise<number | undefined> {
    const best = await this.#call({ op: "best", studentId, task });
    return best === null ? undefined : best as number;
  }

  /** The rows `filter` selects (all by default), by student id then task. */
  rows(filter: ScoreFilter = {}): Promise<ScoreRow[]> {
    return this.#call({ op: "rows", filter }) as Promise<ScoreRow[]>;
  }

  /**
   * Stores a batch grading run's records (one per student) in one
   * transaction, replacing each student's earlier batch record; best scores
   * are untouched. Rejects, with nothing stored, when a record is malformed
   * (see {@linkcode checkBatchRecord}) or the database fails.
   *
   * @example
   * ```ts
   * import { ScoreStore } from "@cs341/practice2/scores";
   * import assert from "node:assert/strict";
   *
   * await using store = await ScoreStore.open(":memory:");
   * await store.recordBatch([{ studentId: 20200000, task1: 50, task2: 40, total: 90,
   *   items: [{ task: 1, name: "checksum", points: 10, outOf: 10 }], problems: [],
   *   diagnosis: null, gradedAt: "2026-12-05T02:00:00.000Z" }]);
   * const [result] = await store.batchResults();
   * assert.equal(result?.total, 90);
   * assert.equal(await store.best(20200000, 1), undefined);
   * ```
   */
  async recordBatch(records: readonly BatchRecord[]): Promise<void> {
    for (const record of records) checkBatchRecord(record);
    await this.#call({ op: "recordBatch", records: [...records] });
  }

  /**
   * Adds one graded attempt to the history kept beside the scores (text
   * escaped, the message capped), then, with `keep`, deletes all but the
   * newest `keep` attempts of that student and task. Best scores are not
   * touched. Resolves the attempt's id.
   *
   * @example
   * ```ts
   * import { ScoreStore } from "@cs341/practice2/scores";
   * import assert from "node:assert/strict";
   *
   * await using store = await ScoreStore.open(":memory:");
   * for (const score of [50, 10, 20]) {
   *   await store.recordAttempt({ task: 1, studentId: 20200000, peer: "127.0.0.1:5000", score,
   *     message: score === 50 ? "DECRYPTED DATA MATCH" : "DECRYPTED DATA MISMATCH: byte 3" }, 2);
   * }
   * const kept = await store.attempts({ studentId: 20200000 });
   * assert.deepEqual(kept.map((a) => [a.score, a.verdict]), [[20, "FAIL"], [10, "FAIL"]]);
   * assert.deepEqual(await store.failureReasons(undefined, 5),
   *   [{ reason: "DECRYPTED DATA MISMATCH", count: 2 }]);
   * ```
   */
  recordAttempt(attempt: NewAttempt, keep?: number): Promise<number> {
    if (keep !== undefined && !(Number.isSafeInteger(keep) && keep >= 1)) {
      return Promise.reject(new RangeError(`keep must be a whole number >= 1, got ${keep}`));
    }
    return this.#call({ op: "recordAttempt", attempt, keep }) as Promise<number>;
  }

  /** The attempts in the history that `filter` selects, newest first (200 by default). */
  attempts(filter: AttemptFilter = {}): Promise<AttemptRecord[]> {
    return this.#call({ op: "attempts", filter }) as Promise<AttemptRecord[]>;
  }

  /**
   * The most common failure reasons (diagnosis id, else the message's head)
   * since `since` (ISO 8601; all kept history when undefined), most first.
   */
  failureReasons(since: string | undefined, limit = 5): Promise<ReasonCount[]> {
    return this.#call({ op: "failureReasons", since, limit }) as Promise<ReasonCount[]>;
  }

  /**
   * Keeps only the newest `keep` attempts of each student and task in the
   * history (best scores unaffected); resolves how many were deleted.
   */
  pruneAttempts(keep: number): Promise<number> {
    if (!(Number.isSafeInteger(keep) && keep >= 1)) {
      return Promise.reject(new RangeError(`keep must be a whole number >= 1, got ${keep}`));
    }
    return this.#call({ op: "pruneAttempts", keep }) as Promise<number>;
  }

  /** Every batch grading record in the database, by student id. */
  batchResults(): Promise<BatchRecord[]> {
    return this.#call({ op: "batchResults" }) as Promise<BatchRecord[]>;
  }

  /**
   * Writes a consistent copy of the database to `file` with SQLite's online backup,
   * safe while servers keep writing. Rejects if `file` exists.
   */
  async backup(file: string): Promise<void> {
    await this.#call({ op: "backup", file });
  }

  /** Closes the database and ends the worker; safe to call twice. */
  close(): Promise<void> {
    this.#closed ??= this.#call({ op: "close" }).then(
      () => this.#worker.terminate(),
      (error) => {
        this.#worker.terminate();
        if (this.#calls.broken === undefined) throw error;
      },
    );
    return this.#closed;
  }

  /** Same as {@linkcode ScoreStore.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
