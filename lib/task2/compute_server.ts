/**
 * The Task 2 compute server: a TCP service that runs one
 * {@linkcode serveComputeSession} per connection, all at once, optionally
 * stopping after the first batch of clients is done (`--once`).
 *
 * @module
 */

import { serveComputeSession } from "./compute_session.ts";
import { serveTcp } from "../net/listener.ts";

/**
 * The default quiet gap that ends a name or a number, in milliseconds.
 *
 * @example
 * ```ts
 * import { DEFAULT_GAP_MS } from "./compute_server.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_GAP_MS, 50);
 * ```
 */
export const DEFAULT_GAP_MS = 50;

/**
 * The default idle timeout of a connection, in milliseconds.
 *
 * @example
 * ```ts
 * import { DEFAULT_TIMEOUT_MS } from "./compute_server.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_TIMEOUT_MS, 30_000);
 * ```
 */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Options of {@linkcode serveCompute}; every one has a default.
 *
 * @example
 * ```ts
 * import { type ComputeServerOptions } from "./compute_server.ts";
 * import assert from "node:assert/strict";
 *
 * const options: ComputeServerOptions = { port: 1234, gapMs: 50, once: true };
 * assert.equal(options.hostname, undefined); // every interface
 * ```
 */
export interface ComputeServerOptions {
  /** Interface to bind; `undefined` (default) is every IPv4 and IPv6 one. */
  hostname?: string | undefined;
  /** Port to bind; 0 (default) picks a free one. */
  port?: number;
  /** No byte for this long ends a name or a number (ms); default 50. */
  gapMs?: number;
  /** A connection idle this long while a byte is needed is closed (ms); default 30000. */
  timeoutMs?: number;
  /**
   * Stop after the first batch: once some client has sent COMPLETE and no
   * connection is open any more. Default false.
   */
  once?: boolean;
  /** Receives one line per event; default `console.log`. */
  log?: (line: string) => void;
}

/**
 * A running compute server.
 *
 * @example
 * ```ts
 * import { type ComputeServer, serveCompute } from "./compute_server.ts";
 * import assert from "node:assert/strict";
 *
 * await using server: ComputeServer = serveCompute({ hostname: "127.0.0.1", log() {} });
 * assert.ok(server.port > 0);
 * assert.equal(server.addrs[0]?.hostname, "127.0.0.1");
 * ```
 */
export interface ComputeServer extends AsyncDisposable {
  /** The bound addresses. */
  readonly addrs: readonly Deno.NetAddr[];
  /** The bound port. */
  readonly port: number;
  /** Resolves once the server has stopped and every connection is done. */
  readonly finished: Promise<void>;
  /** Stops the server, closing open connections, and waits for them. */
  close(): Promise<void>;
}

/**
 * Starts a compute server.
 *
 * @example
 * ```ts
 * import { serveCompute } from "./compute_server.ts";
 * import assert from "node:assert/strict";
 *
 * await using server = serveCompute({ hostname: "127.0.0.1", gapMs: 10, once: true, log() {} });
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
export function serveCompute(options: ComputeServerOptions = {}): ComputeServer {
  const log = options.log ?? console.log;
  const sessionOptions = {
    gapMs: options.gapMs ?? DEFAULT_GAP_MS,
    idleMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    log,
  };
  let open = 0;
  let completed = 0;
  const service = serveTcp(
    { hostname: options.hostname, port: options.port ?? 0 },
    async (conn) => {
      open++;
      try {
        if (await serveComputeSession(conn, sessionOptions) === "complete") completed++;
      } finally {
        open--;
        if (options.once && completed > 0 && open === 0) {
          log(`All ${completed} client(s) of the batch sent COMPLETE; stopping (--once)`);
          // Not awaited: close() waits for this very handler to return.
          void service.close(false);
        }
      }
    },
    (error, conn) => log(`[${conn.remoteAddr.hostname}] Unexpected error: ${error}`),
  );
  return {
    addrs: service.addrs,
    port: service.port,
    finished: service.finished,
    close: () => service.close(),
    [Symbol.asyncDispose]: () => service.close(),
  };
}
