/**
 * The one listener-thread mechanism of both servers: extra Web Workers that
 * each listen on the server's port with `reusePort` (Linux), so the kernel
 * spreads connections over every core. The main thread's side is
 * {@linkcode startListenerThreads}; a worker's side is
 * {@linkcode runListenerThread}. Between them go the worker's log lines,
 * its session counts, and calls it makes to the main thread (through
 * {@linkcode PendingCalls} and {@linkcode replyTo}) for what only one
 * thread may own: a compute pool, a score store. Every thread counts its
 * connections in one shared {@linkcode ConnectionBudget}; when a worker
 * dies, the main thread gives back the slots it held. Internal (not in
 * `mod.ts`): the servers' `workers` option is the public face.
 *
 * @module
 */

import { ConnectionBudget, type SharedBudget } from "./connection_budget.ts";
import { ConnectionError, describeError } from "./errors.ts";
import type { TcpService } from "./listener.ts";
import type { Logger } from "./logger.ts";
import { type ErrorClasses, PendingCalls, replyTo, type RpcReply } from "./worker_rpc.ts";

/** Main thread to worker. */
export type ToListenerThread<S> =
  | { t: "start"; settings: S; budget: SharedBudget }
  | { t: "close"; force: boolean; graceMs?: number | undefined }
  | { t: "reply"; reply: RpcReply };

/** Worker to main thread. */
export type FromListenerThread =
  | { t: "ready" }
  | { t: "failed"; message: string }
  | { t: "log"; lines: string[] }
  | { t: "open" }
  | { t: "end"; complete: boolean }
  | { t: "call"; id: number; request: unknown }
  | { t: "abort"; id: number }
  | { t: "closed" };

/** What the threads report to the server, and how it answers their calls. */
export interface ListenerThreadHooks {
  /** Receives the workers' log lines. */
  log: Logger;
  /** A session started on some worker. */
  opened(): void;
  /** A session ended on some worker; `complete` as the worker said. */
  ended(complete: boolean): void;
  /** Answers a worker's call (see {@linkcode ListenerThreadContext.call}). */
  call(request: unknown, signal: AbortSignal): unknown;
}

/** Running listener workers. */
export interface ListenerThreads {
  /** Resolves once every worker listens (or has failed and said so in the log). */
  readonly ready: Promise<void>;
  /**
   * Stops every worker's service (see `TcpService.close`; forced, its
   * sessions get `graceMs` to finish, then 1 s to say goodbye) and ends the
   * workers.
   */
  close(force: boolean, graceMs?: number): Promise<void>;
}

function startOne<S>(
  url: URL,
  settings: S,
  holder: number,
  budget: ConnectionBudget,
  hooks: ListenerThreadHooks,
) {
  const worker = new Worker(url, { type: "module" });
  const send = (message: ToListenerThread<S>) => worker.postMessage(message);
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
    budget.releaseHolder(holder);
    for (; open > 0; open--) hooks.ended(false);
    resolveReady();
    resolveClosed();
  };
  worker.onerror = (event) => {
    event.preventDefault();
    hooks.log(`Listener thread failed: ${event.message}`);
    stop();
  };
  worker.onmessage = (event: MessageEvent<FromListenerThread>) => {
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
      case "call": {
        const abort = new AbortController();
        aborts.set(message.id, abort);
        replyTo(message.id, () => hooks.call(message.request, abort.signal), describeError)
          .then((reply) => alive && send({ t: "reply", reply }))
          .finally(() => aborts.delete(message.id));
      }
    }
  };
  send({ t: "start", settings, budget: budget.share(holder) });
  return {
    ready,
    close(force: boolean, graceMs?: number): Promise<void> {
      if (alive) send({ t: "close", force, graceMs });
      return closed;
    },
  };
}

/**
 * Starts `count` listener workers running the module at `url` (which calls
 * {@linkcode runListenerThread}), each sent `settings` and its share of
 * `budget`. Holder 0 of the budget is the main thread's own listener;
 * worker i counts as holder i + 1.
 *
 * @example
 * ```ts ignore
 * const threads = startListenerThreads(new URL("./thread.ts", import.meta.url), 1, settings,
 *   budget, hooks);
 * await threads.ready;
 * await threads.close(true);
 * ```
 */
export function startListenerThreads<S>(
  url: URL,
  count: number,
  settings: S,
  budget: ConnectionBudget,
  hooks: ListenerThreadHooks,
): ListenerThreads {
  const workers = Array.from(
    { length: count },
    (_, i) => startOne(url, settings, i + 1, budget, hooks),
  );
  return {
    ready: Promise.all(workers.map((w) => w.ready)).then(() => {}),
    async close(force, graceMs) {
      await Promise.all(workers.map((w) => w.close(force, graceMs)));
    },
  };
}

/** What a listener worker's service gets from {@linkcode runListenerThread}. */
export interface ListenerThreadContext {
  /** Posts a line to the main thread's log (batched per event-loop turn). */
  log: Logger;
  /** This worker's copy of the server's one connection budget. */
  budget: ConnectionBudget;
  /** Tells the main thread a session started. */
  opened(): void;
  /** Tells the main thread a session ended. */
  ended(complete: boolean): void;
  /**
   * Asks the main thread (its {@linkcode ListenerThreadHooks.call}); an
   * aborted `signal` tells it to abort. Errors come back as their class
   * when it is in the `errors` given to {@linkcode runListenerThread}.
   */
  call(request: unknown, signal?: AbortSignal): Promise<unknown>;
}

/**
 * The body of a listener worker: waits for its settings, starts its
 * service with `start` (which listens with `reusePort` and counts in
 * `context.budget`), and closes it when the main thread says so.
 *
 * @example
 * ```ts ignore
 * runListenerThread<MySettings>((settings, context) => serveTcp(...), { MyError });
 * ```
 */
export function runListenerThread<S>(
  start: (settings: S, context: ListenerThreadContext) => TcpService,
  errors: ErrorClasses = {},
): void {
  // A worker's global scope, typed here without the worker lib (this module
  // is also imported by main threads).
  const scope = globalThis as unknown as {
    postMessage(message: FromListenerThread): void;
    onmessage: ((event: MessageEvent<ToListenerThread<S>>) => void) | null;
  };
  const post = (message: FromListenerThread) => scope.postMessage(message);
  let lines: string[] = [];
  let flushing = false;
  const log: Logger = (line) => {
    lines.push(line);
    if (flushing) return;
    flushing = true;
    setTimeout(() => {
      post({ t: "log", lines });
      lines = [];
      flushing = false;
    }, 0);
  };
  const calls = new PendingCalls({ errors });
  const call = (request: unknown, signal?: AbortSignal) =>
    calls.start((id) => {
      post({ t: "call", id, request });
      signal?.addEventListener("abort", () => post({ t: "abort", id }), { once: true });
    });
  let service: TcpService | undefined;
  scope.onmessage = async (event: MessageEvent<ToListenerThread<S>>) => {
    const message = event.data;
    if (message.t === "start" && service === undefined) {
      try {
        service = start(message.settings, {
          log,
          budget: ConnectionBudget.attach(message.budget),
          opened: () => post({ t: "open" }),
          ended: (complete) => post({ t: "end", complete }),
          call,
        });
      } catch (error) {
        post({ t: "failed", message: error instanceof Error ? error.message : String(error) });
        return;
      }
      post({ t: "ready" });
    } else if (message.t === "close" && service !== undefined) {
      await service.close({ force: message.force, graceMs: message.graceMs, goodbyeMs: 1000 });
      if (lines.length > 0) post({ t: "log", lines });
      lines = [];
      post({ t: "closed" });
    } else if (message.t === "reply") {
      calls.settle(message.reply);
    }
  };
}

/**
 * Whether `reusePort` may be used: without Deno's `net` unstable feature,
 * asking for it ends the process, so look for an API that comes with it.
 *
 * @example
 * ```ts ignore
 * console.log(canSharePort() ? "threads may share a port" : "one listener thread only");
 * ```
 */
export function canSharePort(): boolean {
  return "listenDatagram" in Deno;
}

/**
 * Throws a `ConnectionError` when anyone listens on `port` already (a port
 * shared with `reusePort` would let another server join silently).
 *
 * @example
 * ```ts ignore
 * using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * assert.throws(() => probePort("127.0.0.1", taken.addr.port), ConnectionError);
 * ```
 */
export function probePort(hostname: string | undefined, port: number): void {
  for (const host of hostname === undefined ? ["0.0.0.0", "::"] : [hostname]) {
    try {
      Deno.listen({ hostname: host, port, transport: "tcp" }).close();
    } catch (error) {
      if (error instanceof Deno.errors.AddrInUse) {
        const where = hostname === undefined ? "" : ` on ${hostname}`;
        throw new ConnectionError(`Cannot listen on port ${port}${where}: it is already in use`, {
          cause: error,
        });
      }
      if (host !== "::") throw error; // "::" may be missing: no IPv6
    }
  }
}

/**
 * How many listener threads a server gets: `workers` (1 unless given) on
 * Linux when its connections are not being captured (`capture`), and only
 * where Deno can share a port ({@linkcode canSharePort}); otherwise 1, and
 * `log` says why when more were asked for.
 *
 * @example
 * ```ts ignore
 * const threads = listenerThreadCount(4, undefined, console.log); // 4 on Linux, 1 elsewhere
 * ```
 */
export function listenerThreadCount(
  workers: number | undefined,
  capture: unknown,
  log: Logger,
): number {
  const threads = Deno.build.os === "linux" && capture === undefined
    ? Math.max(1, workers ?? 1)
    : 1;
  if (threads > 1 && !canSharePort()) {
    log("One listener thread only: sharing a port needs Deno's unstable net feature (deno.json)");
    return 1;
  }
  return threads;
}

/**
 * The main thread's listener of a server of `threads` listener threads:
 * `listen(reusePort)`, sharing the port when there is more than one thread
 * (a fixed port is first checked to be free, {@linkcode probePort}). Where
 * the port cannot be shared, `log` says so and the server keeps one thread.
 * A port in use is a `ConnectionError`. Resolves the listener and the
 * thread count in effect.
 *
 * @example
 * ```ts ignore
 * const { main, threads } = listenMain({ hostname: "127.0.0.1", port: 0 }, 2, listen, console.log);
 * ```
 */
export function listenMain(
  at: { hostname?: string | undefined; port?: number | undefined },
  threads: number,
  listen: (reusePort: boolean) => TcpService,
  log: Logger,
): { main: TcpService; threads: number } {
  try {
    if (threads > 1 && (at.port ?? 0) !== 0) probePort(at.hostname, at.port!);
    return { main: listen(threads > 1), threads };
  } catch (error) {
    // reusePort needs Linux and Deno's `--unstable-net` (deno.json has it).
    if (threads === 1 || error instanceof ConnectionError) throw error;
    log(`One listener thread only: cannot share the port (${describeError(error)})`);
    return { main: listen(false), threads: 1 };
  }
}
