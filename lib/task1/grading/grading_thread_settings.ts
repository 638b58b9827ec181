/**
 * What the grading server's main thread sends its listener threads
 * (`grading_thread.ts`), and the calls they make back to it. Internal.
 *
 * @module
 */

import type { GradingOutcome } from "./grading_outcome.ts";

/** What a listener thread needs to grade: everything but functions. */
export interface GradingThreadSettings {
  /** Where to listen (the main thread's port, shared with `reusePort`). */
  listen: { hostname?: string | undefined; port: number };
  /** Session options that can cross threads. */
  session: {
    plaintextSize: number;
    timeoutMs: number;
    replyLimitMs: number;
    drainMs: number;
    roster: ReadonlySet<number> | undefined;
  };
  /** The main thread has a score store: `sbmt` scores go there. */
  store: boolean;
  /** Trace every packet; lines reach the main thread's trace, marked {@linkcode TRACE_MARK}. */
  trace: boolean;
  /** The main thread wants `onStart` for each connection. */
  onStart: boolean;
  /** The main thread wants `onOutcome` for each outcome. */
  onOutcome: boolean;
}

/** Starts a log line that is a trace line, not a log line. */
export const TRACE_MARK = "\u0000trace ";

/** A listener thread's call to the main thread. */
export type ThreadCall =
  | { t: "record"; sid: number; score: number }
  | { t: "start"; peer: string }
  | { t: "outcome"; outcome: GradingOutcome };
