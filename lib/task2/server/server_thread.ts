/**
 * The body of one extra listener thread of the compute server (see
 * `compute_threads.ts`): a Web Worker that listens on the server's port
 * with `reusePort`, runs the same sessions, and posts its log lines, its
 * session counts and (when the server has its own) its computations to the
 * main thread.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { serveTcp } from "../../net/listener.ts";
import { type ComputeFunction, computeInThread } from "./compute_options.ts";
import { INLINE_FACTORIAL, INLINE_FIBONACCI, PoolBusyError } from "../compute/compute_pool.ts";
import { serveComputeSession } from "./compute_session.ts";
import type { FromWorker, ToWorker, WorkerSettings } from "./worker_messages.ts";
import { RequestError } from "../protocol/errors.ts";
import { PendingCalls } from "../../net/worker_rpc.ts";
import { rejectBusy } from "./busy_reply.ts";
import { ConnectionBudget } from "../../net/connection_budget.ts";

const post = (message: FromWorker) => self.postMessage(message);

let lines: string[] = [];
let flushing = false;
function log(line: string): void {
  lines.push(line);
  if (flushing) return;
  flushing = true;
  setTimeout(() => {
    post({ t: "log", lines });
    lines = [];
    flushing = false;
  }, 0);
}

// Computations forwarded to the main thread; a RequestError comes back as one.
const calls = new PendingCalls<string>({ errors: { RequestError, PoolBusyError } });

/**
 * Asks the main thread to compute only what its pool would not compute
 * inline: cheap values are computed here, with no message hop.
 */
const forwardLarge: ComputeFunction = (request, signal) =>
  request.n <= (request.kind === "fibonacci" ? INLINE_FIBONACCI : INLINE_FACTORIAL)
    ? computeInThread(request, signal)
    : forwardToMain(request, signal);

/** Asks the main thread to compute, so one pool (or compute function) serves every thread. */
const forwardToMain: ComputeFunction = (request, signal) =>
  calls.start((id) => {
    post({ t: "compute", id, request });
    signal.addEventListener("abort", () => post({ t: "abort", id }), { once: true });
  });

function start(settings: WorkerSettings): void {
  const { listen, session, forwardCompute } = settings;
  const budget = ConnectionBudget.attach(settings.budget);
  const compute = forwardCompute === "all" ? forwardToMain : forwardLarge;
  const options = { ...session, compute, trace: settings.trace ? log : undefined };
  const sessionLog = settings.quiet ? () => {} : log;
  const service = serveTcp({ ...listen, reusePort: true }, async (conn, shutdown) => {
    post({ t: "open" });
    let complete = false;
    try {
      complete = await serveComputeSession(conn, options, sessionLog, { fault: log, shutdown }) ===
        "complete";
    } finally {
      post({ t: "end", complete });
    }
  }, { log, maxConnections: budget, reject: (conn) => rejectBusy(conn, budget.limit) });
  self.onmessage = async (event: MessageEvent<ToWorker>) => {
    const message = event.data;
    if (message.t === "close") {
      await service.close({ force: message.force, goodbyeMs: 1000 });
      if (lines.length > 0) post({ t: "log", lines });
      lines = [];
      post({ t: "closed" });
    } else if (message.t === "computed") {
      calls.settle(message.reply);
    }
  };
  post({ t: "ready" });
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.t !== "start") return;
  try {
    start(message.settings);
  } catch (error) {
    post({ t: "failed", message: error instanceof Error ? error.message : String(error) });
  }
};
