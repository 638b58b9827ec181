/**
 * Messages between a {@linkcode ScoreStore} and its storage worker.
 *
 * @module
 */

import type { BatchRecord } from "./batch_results.ts";
import type { ScoreDbOptions, ScoreFilter, TaskNumber } from "./score_db.ts";

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
    | { op: "close" }
  );

/** The storage worker's answer to the request with the same `id`. */
export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; name: string; message: string };
