/**
 * What the compute server's main thread sends its listener workers
 * (`server_thread.ts`) when they start. Internal.
 *
 * @module
 */

import type { ComputeSessionOptions } from "./compute_options.ts";

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
  /** Drop the sessions' log lines (`--quiet`); the thread's own faults are still posted. */
  quiet: boolean;
}
