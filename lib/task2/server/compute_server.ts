/**
 * The Task 2 compute server: a TCP service that runs one
 * {@linkcode serveComputeSession} per connection, all at once, optionally
 * stopping after the first batch of clients is done (`--once`). With
 * `workers` > 1 on Linux, that many threads listen on the port (the main
 * one and `workers - 1` Web Workers, sharing it with `reusePort`).
 *
 * @module
 */

import type { PcapCapture } from "../../net/pcap.ts";
import { type ListenOptions, serveTcp, type TcpService } from "../../net/listener.ts";
import type { Logger } from "../../net/logger.ts";
import { rejectBusy } from "./busy_reply.ts";
import { ConnectionBudget } from "../../net/connection_budget.ts";
import { type ComputeSessionOptions, computeSessionSettings } from "./compute_options.ts";
import { ComputePool } from "../compute/compute_pool.ts";
import { serveComputeSession, sessionEndCallbacks } from "./compute_session.ts";
import { type ListenerThreads, startComputeThreads } from "./compute_threads.ts";
import { listenerThreadCount, listenMain } from "../../net/listener_threads.ts";

/**
 * The default most connections the server handles at once.
 *
 * @example
 * ```ts no-assert
 * import { DEFAULT_MAX_CONNECTIONS } from "@cs341/practice2/task2";
 *
 * console.log(`--max-connections defaults to ${DEFAULT_MAX_CONNECTIONS}`);
 * ```
 */
export const DEFAULT_MAX_CONNECTIONS = 4096;

/**
 * Options of {@linkcode serveCompute}: where to listen, how each session
 * runs, and where log lines go.
 */
export interface ComputeServerOptions
  extends Omit<ListenOptions, "reusePort">, ComputeSessionOptions {
  /**
   * Stop after the first batch: once some client has sent COMPLETE and no
   * connection is open any more. Default false.
   */
  once?: boolean | undefined;
  /** Receives one line per event; default `console.log`. */
  log?: Logger | undefined;
  /**
   * No line per session event (`--quiet`): the sessions' lines are dropped,
   * while the server's own faults (a handler that threw, accept failures,
   * listener threads that fail) still reach `log`. Default false.
   */
  quiet?: boolean | undefined;
  /**
   * Threads that listen, Linux only (elsewhere always 1); default 1. They
   * share one count of connections for `maxConnections`. Always 1 with a
   * `capture`, which lives in one thread.
   */
  workers?: number | undefined;
  /** Records every connection's exchange (`--pcap`), if given. */
  capture?: PcapCapture | undefined;
  /**
   * Most connections at once; a connection past it gets one `ERROR` line
   * and is closed. Default {@linkcode DEFAULT_MAX_CONNECTIONS}.
   */
  maxConnections?: number | undefined;
  /**
   * How many large computations may wait for a pool worker; past it a
   * request gets `ERROR ... busy`. Default 64. Used when no `compute` is
   * given: the server then runs FIBONACCI and FACTORIAL in its own
   * {@linkcode ComputePool}, one worker per core, off every listener thread.
   */
  computeQueue?: number | undefined;
}

/**
 * A running compute server: a {@linkcode TcpService} that also says how
 * many threads listen.
 *
 * @example
 * ```ts
 * import { type ComputeService, serveCompute } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * await using server: ComputeService = serveCompute({ hostname: "127.0.0.1", log() {} });
 * assert.equal(server.threads, 1);
 * ```
 */
export interface ComputeService extends TcpService {
  /**
   * Threads that listen on the port once the first client has come (the
   * others start then): `workers`, or 1 where the port cannot be shared.
   */
  readonly threads: number;
}

/**
 * Starts a compute server. Throws `RangeError` for options out of range.
 *
 * @example
 * ```ts
 * import { serveCompute } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * await using server = serveCompute({ hostname: "127.0.0.1", once: true, log() {} });
 * using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
 * await conn.write(new TextEncoder().encode("Client2"));
 * const reply = new Uint8Array(32);
 * const reader = conn.readable.getReader({ mode: "byob" });
 * const { value } = await reader.read(reply, { min: 32 });
 * assert.equal(new TextDecoder().decode(value), "c5fdeac9dbd9322ca157a09ac7052824");
 * reader.releaseLock();
 * await conn.write(new TextEncoder().encode("COMPLETE"));
 * await server.finished; // --once: the batch is done
 * ```
 */
export function serveCompute(options: ComputeServerOptions = {}): ComputeService {
  const log = options.log ?? console.log;
  const sessionLog: Logger = options.quiet ? () => {} : log;
  // Without a compute function of the caller's, large values go to a pool
  // of workers (small ones are computed inline by the pool, in any thread).
  const pool = options.compute === undefined
    ? new ComputePool({ queueLimit: options.computeQueue ?? 64 })
    : undefined;
  const settings = computeSessionSettings(
    pool === undefined ? options : { ...options, compute: (job, signal) => pool.run(job, signal) },
  );
  let threads = listenerThreadCount(options.workers, options.capture, log);
  const maxTotal = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  if (!(maxTotal >= 1)) throw new RangeError(`maxConnections must be >= 1, got ${maxTotal}`);
  // One budget for every thread: the limit is on their sum.
  const budget = ConnectionBudget.create(maxTotal, threads);
  let open = 0;
  let completed = 0;
  let stopping: Promise<void> | undefined;
  const ended = (complete: boolean) => {
    open--;
    if (complete) completed++;
    if (options.once && completed > 0 && open === 0 && stopping === undefined) {
      log(`All ${completed} client(s) of the batch sent COMPLETE; stopping (--once)`);
      // Not awaited: close() waits for this very handler to return.
      void close({ force: false });
    }
  };
  // No async frame of its own per session: an idle one holds less.
  const [sessionEnded, sessionFailed] = sessionEndCallbacks(ended);
  const listen = (reusePort: boolean) =>
    serveTcp({ ...options, reusePort }, (conn, shutdown) => {
      open++;
      startThreads();
      return serveComputeSession(conn, settings, sessionLog, { fault: log, shutdown })
        .then(sessionEnded, sessionFailed);
    }, {
      log,
      maxConnections: budget,
      reject: (conn) => rejectBusy(conn, maxTotal),
      capture: options.capture,
    });
  const listening = listenMain(options, threads, listen, log);
  const main = listening.main;
  threads = listening.threads;
  // The other listener threads start with the first client, not before: a
  // server at rest holds one thread (a listener thread is some 9 MiB).
  // Until they listen, the main thread takes every connection.
  let workers: ListenerThreads | undefined;
  function startThreads(): void {
    if (workers !== undefined || threads === 1 || stopping !== undefined) return;
    const { compute: _inThread, trace, ...session } = settings;
    workers = startComputeThreads(
      threads - 1,
      {
        listen: { hostname: options.hostname, port: main.port },
        session,
        trace: trace !== undefined,
        forwardCompute: pool === undefined ? "all" : "large",
        quiet: options.quiet ?? false,
      },
      budget,
      { log, opened: () => open++, ended, compute: settings.compute },
    );
  }
  let resolveFinished!: () => void;
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
  function close({ force = true }: { force?: boolean | undefined } = {}): Promise<void> {
    stopping ??= (async () => {
      // Forced: each open session gets up to 1 s to tell its client.
      await Promise.all([main.close({ force, goodbyeMs: 1000 }), workers?.close(force)]);
      await pool?.close();
      resolveFinished();
    })();
    return stopping;
  }
  return {
    addrs: main.addrs,
    port: main.port,
    get active() {
      return open;
    },
    threads,
    finished,
    close,
    [Symbol.asyncDispose]: () => close(),
  };
}
