/**
 * The body of one extra listener thread of the compute server (see
 * `compute_threads.ts`), run by `runListenerThread`: it listens on the
 * server's port with `reusePort`, runs the same sessions, and sends its
 * large computations to the main thread.
 *
 * @module
 */

import { serveTcp } from "../../net/listener.ts";
import { type ComputeFunction, computeInThread } from "./compute_options.ts";
import { INLINE_FACTORIAL, INLINE_FIBONACCI, PoolBusyError } from "../compute/compute_pool.ts";
import { serveComputeSession, sessionEndCallbacks } from "./compute_session.ts";
import type { WorkerSettings } from "./worker_messages.ts";
import { RequestError } from "../protocol/errors.ts";
import { type ListenerThreadContext, runListenerThread } from "../../net/listener_threads.ts";
import { rejectBusy } from "./busy_reply.ts";

// Computations the main thread answers; a RequestError comes back as one.
let call: ListenerThreadContext["call"];

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
  call(request, signal) as Promise<string>;

runListenerThread<WorkerSettings>((settings, context) => {
  const { listen, session, forwardCompute } = settings;
  const { log, budget } = context;
  call = context.call;
  const compute = forwardCompute === "all" ? forwardToMain : forwardLarge;
  const options = { ...session, compute, trace: settings.trace ? log : undefined };
  const sessionLog = settings.quiet ? () => {} : log;
  // No async frame of its own per session: an idle one holds less.
  const [sessionEnded, sessionFailed] = sessionEndCallbacks((complete) => context.ended(complete));
  return serveTcp({ ...listen, reusePort: true }, (conn, shutdown) => {
    context.opened();
    return serveComputeSession(conn, options, sessionLog, { fault: log, shutdown })
      .then(sessionEnded, sessionFailed);
  }, { log, maxConnections: budget, reject: (conn) => rejectBusy(conn, budget.limit) });
}, { RequestError, PoolBusyError });
