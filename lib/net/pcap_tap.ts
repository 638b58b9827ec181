/**
 * The one hook behind `--pcap=FILE`: a connection that records what passes
 * through it into a {@linkcode PcapCapture}. Roles never see the capture;
 * `connectTcp` and `serveTcp` tap a connection when they are given one,
 * and nothing is created when they are not.
 *
 * @module
 */

import type { CaptureConnection, PcapCapture } from "./pcap.ts";

/** Which end of the connection this program is. */
export type TapSide = "client" | "server";

/**
 * Wraps `conn` so that every chunk read or written, and the close, are
 * recorded in `capture`. Everything else (addresses, `closeWrite`,
 * `setNoDelay`, `readable`) goes to `conn` itself; read and write through
 * `read`/`write` to be recorded, as this package's readers and `writeAll` do.
 *
 * @example
 * ```ts
 * import { PcapCapture, tapConnection } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * const capture = new PcapCapture();
 * const accepted = listener.accept();
 * const conn = tapConnection(
 *   await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port }),
 *   capture,
 *   "client",
 * );
 * using peer = await accepted;
 * await conn.write(new TextEncoder().encode("hello"));
 * await peer.write(new TextEncoder().encode("hi"));
 * assert.equal(await conn.read(new Uint8Array(10)), 2);
 * conn.close();
 * assert.equal(capture.recordedBytes, 7);
 * ```
 */
export function tapConnection(
  conn: Deno.TcpConn,
  capture: PcapCapture,
  side: TapSide,
): Deno.TcpConn {
  const local = conn.localAddr.port;
  const remote = conn.remoteAddr.port;
  const record: CaptureConnection = side === "client"
    ? capture.connection(local, remote)
    : capture.connection(remote, local);
  const sent = side === "client" ? "client-to-server" : "server-to-client";
  const received = side === "client" ? "server-to-client" : "client-to-server";
  const read = async (p: Uint8Array): Promise<number | null> => {
    const n = await conn.read(p);
    if (n !== null && n > 0) record.record(received, p.subarray(0, n));
    return n;
  };
  const write = async (p: Uint8Array): Promise<number> => {
    const n = await conn.write(p);
    if (n > 0) record.record(sent, p.subarray(0, n));
    return n;
  };
  const close = (): void => {
    record.close();
    conn.close();
  };
  const dispose = (): void => {
    record.close();
    conn[Symbol.dispose]();
  };
  return new Proxy(conn, {
    get(target, key) {
      if (key === "read") return read;
      if (key === "write") return write;
      if (key === "close") return close;
      if (key === Symbol.dispose) return dispose;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
