/**
 * Opening client connections with a time limit and a clear error.
 *
 * @module
 */

import type { PcapCapture } from "./pcap.ts";
import { tapConnection } from "./pcap_tap.ts";
import { ConnectionError, describeError, TimeoutError } from "./errors.ts";

/**
 * Formats `hostname:port`, with IPv6 addresses in brackets.
 *
 * @example
 * ```ts
 * import { hostPort } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * assert.equal(hostPort("127.0.0.1", 4000), "127.0.0.1:4000");
 * assert.equal(hostPort("::1", 4000), "[::1]:4000");
 * ```
 */
export function hostPort(hostname: string, port: number): string {
  return `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
}

/**
 * Connects to `hostname:port` over TCP, giving up after `timeoutMs` (through
 * `Deno.connect`'s `signal`), with Nagle's algorithm off. A refusal throws {@linkcode ConnectionError}
 * with one line saying nothing listens there and that a server bound to
 * another address needs `--host`; an unreachable or unknown host throws
 * `ConnectionError` naming the address; no answer in time throws
 * `TimeoutError`. With a `capture` (`--pcap`), what the connection carries
 * is recorded there.
 *
 * @example
 * ```ts
 * import { connectTcp } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const port = listener.addr.port;
 * listener.close();
 * await assert.rejects(connectTcp("127.0.0.1", port, 1000), {
 *   name: "ConnectionError",
 *   message: `Cannot connect to 127.0.0.1:${port}: nothing listens there ` +
 *     "(is the server running? a server bound to another address needs --host)",
 * });
 * ```
 */
export async function connectTcp(
  hostname: string,
  port: number,
  timeoutMs: number,
  capture?: PcapCapture | undefined,
): Promise<Deno.TcpConn> {
  const address = hostPort(hostname, port);
  const signal = Number.isFinite(timeoutMs) ? AbortSignal.timeout(timeoutMs) : undefined;
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname, port, transport: "tcp", ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) {
      throw new TimeoutError(
        `Timed out after ${timeoutMs} ms waiting for a connection to ${address}`,
        {
          cause: error,
        },
      );
    }
    const reason = error instanceof Deno.errors.ConnectionRefused
      ? "nothing listens there (is the server running? a server bound to another address needs --host)"
      : describeError(error);
    throw new ConnectionError(`Cannot connect to ${address}: ${reason}`, { cause: error });
  }
  // Each write goes out as it is written: the protocols' messages are small,
  // and Nagle's algorithm would hold one back for the peer's delayed ACK.
  conn.setNoDelay(true);
  return capture === undefined ? conn : tapConnection(conn, capture, "client");
}
