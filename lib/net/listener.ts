/**
 * A TCP service: listeners on one port, an accept loop, and a handler per
 * connection, with an orderly shutdown that waits for every handler.
 *
 * @module
 */

import { closeQuietly } from "./deadline.ts";
import { ConnectionError } from "./errors.ts";

/**
 * Called once per accepted connection; its promise is awaited on shutdown.
 * `shutdown` is aborted when a forced close is about to cut the open
 * connections, so a handler can tell a shutdown from a peer's fault.
 *
 * @example
 * ```ts
 * import { type ConnectionHandler, serveTcp } from "./listener.ts";
 * import assert from "node:assert/strict";
 *
 * const echo: ConnectionHandler = async (conn) => {
 *   await conn.readable.pipeTo(conn.writable);
 * };
 * await using service = serveTcp({ hostname: "127.0.0.1" }, echo);
 * using conn = await Deno.connect({ hostname: "127.0.0.1", port: service.port });
 * await conn.write(new TextEncoder().encode("ping"));
 * const reader = conn.readable.getReader({ mode: "byob" });
 * const { value } = await reader.read(new Uint8Array(4), { min: 4 });
 * assert.equal(new TextDecoder().decode(value), "ping");
 * reader.releaseLock();
 * ```
 */
export type ConnectionHandler = (conn: Deno.TcpConn, shutdown: AbortSignal) => Promise<void>;

/**
 * Where a service listens.
 *
 * @example
 * ```ts
 * import { type ListenOptions, serveTcp } from "./listener.ts";
 * import assert from "node:assert/strict";
 *
 * const options: ListenOptions = { hostname: "127.0.0.1", port: 0 };
 * await using service = serveTcp(options, async () => {});
 * assert.ok(service.port > 0);
 * assert.equal(service.addrs.length, 1);
 * ```
 */
export interface ListenOptions {
  /**
   * Interface to bind. `undefined` (the default) means every IPv4 and IPv6
   * interface; a name or address narrows it to that one.
   */
  hostname?: string | undefined;
  /** Port to bind; 0 (the default) picks a free one. */
  port?: number | undefined;
}

/**
 * A running service, returned by {@linkcode serveTcp}.
 *
 * @example
 * ```ts
 * import { type TcpService, serveTcp } from "./listener.ts";
 * import assert from "node:assert/strict";
 *
 * const service: TcpService = serveTcp({ hostname: "127.0.0.1" }, async () => {});
 * assert.equal(service.active, 0);
 * await service.close();
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
   * Stops accepting, closes the open connections when `force` is true (the
   * default), and resolves once every handler has finished.
   */
  close(force?: boolean): Promise<void>;
}

/**
 * Formats a peer address as `host:port` for logs, IPv6 in brackets, and an
 * IPv4 peer seen through a dual-stack socket (`::ffff:127.0.0.1`) as plain
 * IPv4.
 *
 * @example
 * ```ts
 * import { formatAddress } from "./listener.ts";
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

function listen(hostname: string, port: number): Deno.TcpListener {
  try {
    return Deno.listen({ hostname, port, transport: "tcp" });
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
  if (options.hostname !== undefined) return [listen(options.hostname, port)];
  let first: Deno.TcpListener;
  try {
    first = listen("::", port);
  } catch (error) {
    if (error instanceof ConnectionError) throw error;
    // No IPv6 on this machine.
    return [listen("0.0.0.0", port)];
  }
  try {
    return [first, Deno.listen({ hostname: "0.0.0.0", port: first.addr.port, transport: "tcp" })];
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
 * `onError` and never stops the service. By default it binds every IPv4 and
 * IPv6 interface.
 *
 * @example
 * ```ts
 * import { serveTcp } from "./listener.ts";
 * import assert from "node:assert/strict";
 *
 * await using service = serveTcp({ hostname: "127.0.0.1", port: 0 }, async (conn) => {
 *   await conn.write(new TextEncoder().encode("hi"));
 *   conn.close();
 * });
 * using conn = await Deno.connect({ hostname: "127.0.0.1", port: service.port });
 * const reply = await new Response(conn.readable).text();
 * assert.equal(reply, "hi");
 * ```
 */
export function serveTcp(
  options: ListenOptions,
  handler: ConnectionHandler,
  onError: (error: unknown, conn: Deno.TcpConn) => void = () => {},
): TcpService {
  const listeners = bindAll(options);
  const conns = new Set<Deno.TcpConn>();
  const handlers = new Set<Promise<void>>();
  let stopping = false;
  const shutdown = new AbortController();

  async function acceptLoop(listener: Deno.TcpListener): Promise<void> {
    while (!stopping) {
      let conn: Deno.TcpConn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (stopping) return;
        // Transient accept failures (too many open files, aborted
        // handshakes) must not end the service; back off briefly.
        if (error instanceof Deno.errors.BadResource) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      if (stopping) {
        closeQuietly(conn);
        return;
      }
      conns.add(conn);
      const done = (async () => {
        try {
          await handler(conn, shutdown.signal);
        } catch (error) {
          onError(error, conn);
        } finally {
          conns.delete(conn);
          closeQuietly(conn);
        }
      })();
      handlers.add(done);
      done.finally(() => handlers.delete(done));
    }
  }

  const loops = Promise.all(listeners.map(acceptLoop));
  let resolveFinished!: () => void;
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));

  async function close(force = true): Promise<void> {
    if (!stopping) {
      stopping = true;
      for (const listener of listeners) closeQuietly(listener);
      await loops;
      if (force) {
        shutdown.abort();
        for (const conn of conns) closeQuietly(conn);
      }
      while (handlers.size > 0) await Promise.all(handlers);
      resolveFinished();
    }
    await finished;
  }

  const first = listeners[0]!.addr;
  return {
    addrs: listeners.map((listener) => listener.addr),
    port: first.port,
    get active() {
      return conns.size;
    },
    finished,
    close,
    [Symbol.asyncDispose]: () => close(),
  };
}
