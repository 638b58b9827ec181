/**
 * The storage worker: owns the one database connection of a
 * {@linkcode ScoreStore} and runs its requests in order, off the main
 * thread, so waiting for a lock or a slow disk never blocks a server.
 * Loaded by `score_store.ts`; `deno compile` needs
 * `--include lib/scores/score_worker.ts`.
 *
 * @module
 */

import { ScoreDb } from "./score_db.ts";
import { replyTo } from "../net/worker_rpc.ts";
import type { WorkerReply, WorkerRequest } from "./score_protocol.ts";

/** The worker's global scope, as far as this file uses it. */
interface WorkerScope {
  onmessage: ((event: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: WorkerReply): void;
}
const scope = self as unknown as WorkerScope;

let db: ScoreDb | undefined;

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case "open":
      db = new ScoreDb(request.path, request.options);
      return null;
    case "close":
      db?.close();
      db = undefined;
      return null;
  }
  if (db === undefined) throw new Error("the score database is closed");
  switch (request.op) {
    case "record":
      return db.record(
        request.studentId,
        request.task,
        request.score,
        request.deadline - performance.timeOrigin,
      );
    case "best":
      return db.best(request.studentId, request.task) ?? null;
    case "rows":
      return db.rows(request.filter);
    case "recordBatch":
      db.recordBatch(request.records);
      return null;
    case "batchResults":
      return db.batchResults();
    case "recordAttempt":
      return db.recordAttempt(request.attempt, request.keep);
    case "attempts":
      return db.attempts(request.filter);
    case "failureReasons":
      return db.failureReasons(request.since, request.limit);
    case "pruneAttempts":
      return db.pruneAttempts(request.keep);
    case "backup":
      await db.backup(request.file);
      return null;
  }
}

scope.onmessage = async (event) => {
  const request = event.data;
  scope.postMessage(await replyTo(request.id, () => handle(request)));
};
