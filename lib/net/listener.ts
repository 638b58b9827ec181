/**
 * A TCP service: listeners on one port, an accept loop, and a handler per
 * connection, with an orderly shutdown that waits for every handler.
 *
 * @module
 */

import type { PcapCapture } from "./pcap.ts";
import { tapConnection } from "./pcap_tap.ts";
import { ConnectionBudget } from "./connection_budget.ts";
import { closeQuietly, withTimeout } from "./deadline.ts";
import { ConnectionError, describeError } from "./errors.ts";
import type { Logger } from "./logger.ts";

/**
 * Called once per accepted connection; its promise is awaited on shutdown.
 * `shutdown` is aborted when a forced close is about to cut the open
 * connections, so a handler can tell a shutdown from a peer's fault.
 */
export type ConnectionHandler = (conn: Deno.TcpConn, shutdown: AbortSignal) => Promise<void>;

/**
 * Where a service listens.
 */
export interface ListenOptions {
  /**
   * Interface to bind. `undefined` (the default) means every IPv4 and IPv6
   * interface; a name or address narrows it to that one.
   */
  hostname?: string | undefined;
  /** Port to bind; 0 (the default) picks a free one. */
  port?: number | undefined;
  /**
   * Let several listeners share the port, the kernel spreading connections
   * among them (`SO_REUSEPORT`; Linux only). Default false. Any process of
   * the same user may then join: check first that the port is free.
   */
  reusePort?: boolean | undefined;
}

/**
 * How {@linkcode TcpService.close} stops a service.
 */
export interface CloseOptions {
  /**
   * True (the default) closes the open connections at once, after aborting
   * the handlers' `shutdown` signal; false lets every handler finish.
   */
  force?: boolean | undefined;
  /**
   * With `force`: how long open handlers may go on finishing by themselves
   * before the `shutdown` signal aborts (default 0: abort at once).
   */
  graceMs?: number | undefined;
  /**
   * With `force`: how long handlers get, once `shutdown` has aborted, to
   * answer their peer (a "server shutting down" reply) before their
   * connections are closed (default 0: close at once).
   */
  goodbyeMs?: number | undefined;
}

const SETTLED = Promise.resolve();

/** Resolves once every handler has finished or `ms` have passed. */
async function settleWithin(handlers: Map<unknown, Promise<void>>, ms: number): Promise<void> {
  if (handlers.size === 0 || !(ms > 0)) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  const settled = (async () => {
    while (handlers.size > 0) await Promise.all(handlers.values());
  })();
  await Promise.race([settled, expired]).finally(() => clearTimeout(timer));
}

/**
 * A running service: what {@linkcode serveTcp}, and so both servers of this
 * toolkit, return.
 *
 * @example
 * ```ts
 * import { serveTcp, type TcpService } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const service: TcpService = serveTcp({ hostname: "127.0.0.1" }, async () => {}, { log() {} });
 * assert.equal(service.active, 0);
 * await service.close({ force: false });
 * await service.finished;
 * ```
 */
export interface TcpService extends AsyncDisposable {
  /** The bound addresses: one, or two for IPv4 and IPv6 on separate sockets. */
  readonly addrs: readonly Deno.NetAddr[];
  /** The bound port. */
  readonly port: number;
  /** Connections being handled right now. */
  readonly active: number;
  /** Resolves when the service has stopped and every handler has finished. */
  readonly finished: Promise<void>;
  /**
   * Stops accepting and resolves once every handler has finished; with
   * `force` (the default) it closes the open connections first.
   */
  close(options?: CloseOptions): Promise<void>;
}

/**
 * What a service does besides handling connections.
 */
export interface ServiceHooks {
  /**
   * Receives one line for every handler that threw: errors are never
   * swallowed. Handlers report what a peer did wrong themselves.
   */
  log: Logger;
  /**
   * Most connections handled at once; one more is passed to `reject`
   * instead of the handler. A number gives the service a budget of its own;
   * a {@linkcode ConnectionBudget} is shared (with the services of other
   * listener threads, say), so the limit is on their sum. Default
   * unlimited.
   */
  maxConnections?: number | ConnectionBudget | undefined;
  /**
   * Says goodbye to a connection over `maxConnections` (for example with
   * a short error line); the service closes it afterwards and bounds the
   * call to 1 s. Default: close at once.
   */
  reject?: ((conn: Deno.TcpConn) => Promise<void>) | undefined;
  /** Records every connection's exchange (`--pcap`); default none. */
  capture?: PcapCapture | undefined;
}

/**
 * Formats a peer address as `host:port` for logs, IPv6 in brackets, and an
 * IPv4 peer seen through a dual-stack socket (`::ffff:127.0.0.1`) as plain
 * IPv4.
 *
 * @example
 * ```ts
 * import { formatAddress } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const v4 = { transport: "tcp", hostname: "::ffff:127.0.0.1", port: 37808 } as const;
 * assert.equal(formatAddress(v4), "127.0.0.1:37808");
 * assert.equal(formatAddress({ ...v4, hostname: "::1" }), "[::1]:37808");
 * ```
 */
export function formatAddress(addr: Deno.Addr): string {
  if (addr.transport !== "tcp" && addr.transport !== "udp") return addr.transport;
  const host = addr.hostname.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return host.includes(":") ? `[${host}]:${addr.port}` : `${host}:${addr.port}`;
}

function listen(hostname: string, port: number, reusePort: boolean): Deno.TcpListener {
  try {
    return Deno.listen({ hostname, port, transport: "tcp", reusePort });
  } catch (error) {
    if (!(error instanceof Deno.errors.AddrInUse)) throw error;
    const where = hostname === "::" || hostname === "0.0.0.0" ? "" : ` on ${hostname}`;
    throw new ConnectionError(`Cannot listen on port ${port}${where}: it is already in use`, {
      cause: error,
    });
  }
}

function bindAll(options: ListenOptions): Deno.TcpListener[] {
  const port = options.port ?? 0;
  const reuse = options.reusePort === true;
  if (options.hostname !== undefined) return [listen(options.hostname, port, reuse)];
  let first: Deno.TcpListener;
  try {
    first = listen("::", port, reuse);
  } catch (error) {
    if (error instanceof ConnectionError) throw error;
    // No IPv6 on this machine.
    return [listen("0.0.0.0", port, reuse)];
  }
  try {
    const port = first.addr.port;
    const v4 = Deno.listen({ hostname: "0.0.0.0", port, transport: "tcp", reusePort: reuse });
    return [first, v4];
  } catch (error) {
    // A dual-stack "::" socket already accepts IPv4 (Linux, macOS).
    if (error instanceof Deno.errors.AddrInUse) return [first];
    closeQuietly(first);
    throw error;
  }
}

/**
 * Listens on `options` and runs `handler` for every connection, each on its
 * own, so no client waits for another. A handler's rejection is passed to
 * `hooks.log` and never stops the service. By default it binds every IPv4 and
 * IPv6 interface.
 *
 * @example
 * ```ts
 * import { serveTcp } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * await using service = serveTcp({ hostname: "127.0.0.1", port: 0 }, async (conn) => {
 *   await conn.write(new TextEncoder().encode("hi"));
 *   conn.close();
 * }, { log: console.error });
 * using conn = await Deno.connect({ hostname: "127.0.0.1", port: service.port });
 * const reply = await new Response(conn.readable).text();
 * assert.equal(reply, "hi");
 * ```
 */
export function serveTcp(
  options: ListenOptions,
  handler: ConnectionHandler,
  hooks: ServiceHooks,
): TcpService {
  const listeners = bindAll(options);
  // Each open connection and its handler's run. An idle connection holds
  // one async frame here (not a frame, a closure and a promise per layer):
  // with a thousand idle clients that is memory (docs/protocol.md).
  const handlers = new Map<Deno.TcpConn, Promise<void>>();
  let stopping = false;
  let rejecting = 0;
  const shutdown = new AbortController();

  const max = hooks.maxConnections;
  const budget = typeof max === "number" ? ConnectionBudget.create(max) : max;

  /** Runs `work`, logs what it throws, then closes `conn` (and gives back its slot). */
  async function serve(
    conn: Deno.TcpConn,
    work: ConnectionHandler,
    release: ConnectionBudget | undefined,
  ): Promise<void> {
    try {
      await work(conn, shutdown.signal);
    } catch (error) {
      const peer = formatAddress(conn.remoteAddr);
      hooks.log(`[${peer}] Unexpected error: ${describeError(error)}`);
    } finally {
      handlers.delete(conn);
      closeQuietly(conn);
      release?.release();
    }
  }

  function track(conn: Deno.TcpConn, work: ConnectionHandler, release?: ConnectionBudget): void {
    handlers.set(conn, SETTLED);
    const done = serve(conn, work, release);
    // A handler that failed at once has already left the map.
    if (handlers.has(conn)) handlers.set(conn, done);
  }

  const reject = async (conn: Deno.TcpConn) => {
    try {
      if (hooks.reject) await withTimeout(hooks.reject(conn), 1000, "a rejected client");
    } finally {
      rejecting--;
    }
  };

  async function acceptLoop(listener: Deno.TcpListener): Promise<void> {
    let backoff = 0;
    while (!stopping) {
      let conn: Deno.TcpConn;
      try {
        conn = await listener.accept();
        backoff = 0;
      } catch (error) {
        if (stopping || error instanceof Deno.errors.BadResource) return;
        // Transient accept failures (too many open files, aborted
        // handshakes) must not end the service: back off, 10 ms doubling
        // to 200 ms, so open connections keep being served meanwhile.
        if (backoff === 0) hooks.log(`Cannot accept a connection: ${describeError(error)}`);
        backoff = Math.min(200, backoff === 0 ? 10 : backoff * 2);
        await new Promise((resolve) => setTimeout(resolve, backoff));
        continue;
      }
      if (stopping) {
        closeQuietly(conn);
        return;
      }
      if (hooks.capture !== undefined) conn = tapConnection(conn, hooks.capture, "server");
      if (budget !== undefined && !budget.take()) {
        rejecting++;
        track(conn, reject);
        continue;
      }
      track(conn, handler, budget);
    }
  }

  const loops = Promise.all(listeners.map(acceptLoop));
  let resolveFinished!: () => void;
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));

  async function close(
    { force = true, graceMs = 0, goodbyeMs = 0 }: CloseOptions = {},
  ): Promise<void> {
    if (!stopping) {
      stopping = true;
      for (const listener of listeners) closeQuietly(listener);
      await loops;
      if (force) {
        await settleWithin(handlers, graceMs);
        shutdown.abort();
        await settleWithin(handlers, goodbyeMs);
        for (const conn of handlers.keys()) closeQuietly(conn);
      }
      while (handlers.size > 0) await Promise.all(handlers.values());
      resolveFinished();
    }
    await finished;
  }

  const first = listeners[0]!.addr;
  return {
    addrs: listeners.map((listener) => listener.addr),
    port: first.port,
    get active() {
      return handlers.size - rejecting;
    },
    finished,
    close,
    [Symbol.asyncDispose]: () => close(),
  };
}
