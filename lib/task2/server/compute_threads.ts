/**
 * Extra listener threads for the compute server: Web Workers running
 * `server_thread.ts`, each listening on the server's port with
 * `reusePort` (Linux), so the kernel spreads connections over every core.
 * They post their log lines and session counts here; when the server has
 * an injected compute function, they forward their computations to it.
 *
 * @module
 */

import { describeError } from "../../net/errors.ts";
import type { Logger } from "../../net/logger.ts";
import type { ComputeFunction } from "./compute_options.ts";
import type { ConnectionBudget } from "../../net/connection_budget.ts";
import type { FromWorker, ToWorker, WorkerSettings } from "./worker_messages.ts";
import { replyTo } from "../../net/worker_rpc.ts";

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

/** Running listener workers. */
export interface ListenerThreads {
  /** Resolves once every worker listens (or has failed and said so in the log). */
  readonly ready: Promise<void>;
  /** Stops every worker's service (see `TcpService.close`) and ends the workers. */
  close(force: boolean): Promise<void>;
}

function startOne(settings: WorkerSettings, budget: ConnectionBudget, hooks: ThreadHooks) {
  const worker = new Worker(new URL("./server_thread.ts", import.meta.url), { type: "module" });
  const send = (message: ToWorker) => worker.postMessage(message);
  const aborts = new Map<number, AbortController>();
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => (resolveClosed = resolve));
  let alive = true;
  // Its open connections: when the thread fails they are gone with it, and
  // this thread gives back the budget slots it held.
  let open = 0;
  const stop = () => {
    if (!alive) return;
    alive = false;
    worker.terminate();
    for (const abort of aborts.values()) abort.abort();
    budget.releaseHolder(settings.budget.holder);
    for (; open > 0; open--) hooks.ended(false);
    resolveReady();
    resolveClosed();
  };
  worker.onerror = (event) => {
    event.preventDefault();
    hooks.log(`Listener thread failed: ${event.message}`);
    stop();
  };
  worker.onmessage = (event: MessageEvent<FromWorker>) => {
    const message = event.data;
    switch (message.t) {
      case "ready":
        return resolveReady();
      case "failed":
        hooks.log(`Listener thread could not start: ${message.message}`);
        return stop();
      case "log":
        for (const line of message.lines) hooks.log(line);
        return;
      case "open":
        open++;
        return hooks.opened();
      case "end":
        open--;
        return hooks.ended(message.complete);
      case "closed":
        return stop();
      case "abort":
        return aborts.get(message.id)?.abort();
      case "compute": {
        const abort = new AbortController();
        aborts.set(message.id, abort);
        replyTo(message.id, () => hooks.compute(message.request, abort.signal), describeError)
          .then((reply) => alive && send({ t: "computed", reply }))
          .finally(() => aborts.delete(message.id));
      }
    }
  };
  send({ t: "start", settings });
  return {
    ready,
    close(force: boolean): Promise<void> {
      if (alive) send({ t: "close", force });
      return closed;
    },
  };
}

/**
 * Starts `count` listener workers with `settings`.
 *
 * @example
 * ```ts ignore
 * const threads = startListenerThreads(1, settings, hooks);
 * await threads.ready;
 * await threads.close(true);
 * ```
 */
export function startListenerThreads(
  count: number,
  settings: Omit<WorkerSettings, "budget"> & { budget: ConnectionBudget },
  hooks: ThreadHooks,
): ListenerThreads {
  // Holder 0 is the main thread's own listener; worker i counts as holder i + 1.
  const workers = Array.from(
    { length: count },
    (_, i) =>
      startOne({ ...settings, budget: settings.budget.share(i + 1) }, settings.budget, hooks),
  );
  return {
    ready: Promise.all(workers.map((w) => w.ready)).then(() => {}),
    async close(force) {
      await Promise.all(workers.map((w) => w.close(force)));
    },
  };
}
