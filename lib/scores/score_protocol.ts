/**
 * Messages between a {@linkcode ScoreStore} and its storage worker.
 *
 * @module
 */

import type { AttemptFilter, NewAttempt } from "./attempt_history.ts";
import type { BatchRecord } from "./batch_results.ts";
import type { ScoreDbOptions, ScoreFilter, TaskNumber } from "./score_db.ts";
import type { RpcReply } from "../net/worker_rpc.ts";

/** One request to the storage worker; `id` pairs it with its reply. */
export type WorkerRequest =
  & { id: number }
  & (
    | { op: "open"; path: string; options: ScoreDbOptions }
    | { op: "record"; studentId: number; task: TaskNumber; score: number; deadline: number }
    | { op: "best"; studentId: number; task: TaskNumber }
    | { op: "rows"; filter: ScoreFilter }
    | { op: "backup"; file: string }
    | { op: "recordBatch"; records: BatchRecord[] }
    | { op: "batchResults" }
    | { op: "recordAttempt"; attempt: NewAttempt; keep: number | undefined }
    | { op: "attempts"; filter: AttemptFilter }
    | { op: "failureReasons"; since: string | undefined; limit: number }
    | { op: "pruneAttempts"; keep: number }
    | { op: "close" }
  );

/** The storage worker's answer to the request with the same `id`. */
export type WorkerReply = RpcReply;
