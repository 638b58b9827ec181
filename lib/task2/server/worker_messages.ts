/**
 * The messages between the compute server's main thread and its listener
 * workers (`server_thread.ts`). Internal.
 *
 * @module
 */

import type { SharedBudget } from "../../net/connection_budget.ts";
import type { ComputeRequest, ComputeSessionOptions } from "./compute_options.ts";
import type { RpcReply } from "../../net/worker_rpc.ts";

/** What a worker needs to serve: everything but functions. */
export interface WorkerSettings {
  /** Where to listen (the main thread's port, shared with `reusePort`). */
  listen: { hostname?: string | undefined; port: number };
  /** Session options without `compute`. */
  session: Omit<ComputeSessionOptions, "compute" | "trace">;
  /** Trace every message (a function cannot cross threads: lines go to the log). */
  trace: boolean;
  /**
   * Which computations to send to the main thread: `"all"` when it has a
   * compute function of the caller's, `"large"` when it has the server's
   * pool (values the pool would compute inline are computed here).
   */
  forwardCompute: "all" | "large";
  /**
   * The whole server's connection budget, shared by every thread, with
   * this worker's holder number.
   */
  budget: SharedBudget;
  /** Drop the sessions' log lines (`--quiet`); the thread's own faults are still posted. */
  quiet: boolean;
}

/** Main thread to worker. */
export type ToWorker =
  | { t: "start"; settings: WorkerSettings }
  | { t: "close"; force: boolean }
  | { t: "computed"; reply: RpcReply<string> };

/** Worker to main thread. */
export type FromWorker =
  | { t: "ready" }
  | { t: "failed"; message: string }
  | { t: "log"; lines: string[] }
  | { t: "open" }
  | { t: "end"; complete: boolean }
  | { t: "compute"; id: number; request: ComputeRequest }
  | { t: "abort"; id: number }
  | { t: "closed" };
