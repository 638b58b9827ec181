/** Test helpers: a connected pair of real loopback TCP sockets. */

import { closeQuietly } from "../../lib/net/deadline.ts";

export { writeAll } from "../../lib/net/write_all.ts";

/** Both ends of one loopback TCP connection, closed on dispose. */
export interface SocketPair extends Disposable {
  /** The end that connected. */
  client: Deno.TcpConn;
  /** The end that accepted. */
  server: Deno.TcpConn;
}

/** Opens a listener on 127.0.0.1:0, connects to it, and returns both ends, Nagle off. */
export async function socketPair(): Promise<SocketPair> {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const [client, server] = await Promise.all([
    Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
    listener.accept(),
  ]);
  // Small writes go out at once, as separate segments, instead of waiting
  // (Nagle) for the previous one to be acknowledged.
  client.setNoDelay(true);
  server.setNoDelay(true);
  return {
    client,
    server,
    [Symbol.dispose]() {
      closeQuietly(client);
      closeQuietly(server);
    },
  };
}

/** Writes `bytes` one byte per write, awaiting each. */
export async function writeBytewise(conn: Deno.Conn, bytes: Uint8Array): Promise<void> {
  for (let i = 0; i < bytes.length; i++) await conn.write(bytes.subarray(i, i + 1));
}
