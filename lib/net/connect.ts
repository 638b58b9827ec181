/**
 * Opening client connections with a time limit and a clear error.
 *
 * @module
 */

import { closeQuietly, withTimeout } from "./deadline.ts";
import { ConnectionError } from "./errors.ts";

/**
 * Connects to `hostname:port` over TCP. A refusal or an unreachable or
 * unknown host throws {@linkcode ConnectionError} naming the address; no
 * answer within `timeoutMs` throws `TimeoutError`.
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
 *   message: `Cannot connect to 127.0.0.1:${port}: connection refused (is the server running?)`,
 * });
 * ```
 */
export async function connectTcp(
  hostname: string,
  port: number,
  timeoutMs: number,
): Promise<Deno.TcpConn> {
  const address = `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
  const attempt = Deno.connect({ hostname, port, transport: "tcp" });
  try {
    return await withTimeout(attempt, timeoutMs, `a connection to ${address}`, () => {
      // A connection that completes after the deadline is closed at once.
      attempt.then(closeQuietly, () => {});
    });
  } catch (error) {
    if (error instanceof Error && error.name === "TimeoutError") throw error;
    const reason = error instanceof Deno.errors.ConnectionRefused
      ? "connection refused (is the server running?)"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new ConnectionError(`Cannot connect to ${address}: ${reason}`, { cause: error });
  }
}
