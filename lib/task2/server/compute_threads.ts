/**
 * Extra listener threads for the compute server, through the one
 * listener-thread mechanism (`lib/net/listener_threads.ts`): Web Workers
 * running `server_thread.ts`. When the server has an injected compute
 * function (or a pool), they forward their computations to it.
 *
 * @module
 */

import type { ComputeFunction, ComputeRequest } from "./compute_options.ts";
import type { ConnectionBudget } from "../../net/connection_budget.ts";
import type { WorkerSettings } from "./worker_messages.ts";
import type { Logger } from "../../net/logger.ts";
import { type ListenerThreads, startListenerThreads } from "../../net/listener_threads.ts";

export type { ListenerThreads };

/** What the threads report to the server. */
export interface ThreadHooks {
  /** Receives the workers' log lines. */
  log: Logger;
  /** A session started on some worker. */
  opened(): void;
  /** A session ended on some worker; `complete` if it sent COMPLETE. */
  ended(complete: boolean): void;
  /** Computes for workers when they forward (an injected compute). */
  compute: ComputeFunction;
}

/**
 * Starts `count` compute listener workers with `settings`.
 *
 * @example
 * ```ts ignore
 * const threads = startComputeThreads(1, settings, budget, hooks);
 * await threads.ready;
 * await threads.close(true);
 * ```
 */
export function startComputeThreads(
  count: number,
  settings: WorkerSettings,
  budget: ConnectionBudget,
  hooks: ThreadHooks,
): ListenerThreads {
  return startListenerThreads(
    new URL("./server_thread.ts", import.meta.url),
    count,
    settings,
    budget,
    {
      log: hooks.log,
      opened: hooks.opened,
      ended: hooks.ended,
      call: (request, signal) => hooks.compute(request as ComputeRequest, signal),
    },
  );
}
