/**
 * The compute server's goodbye to a connection over its limit.
 *
 * @module
 */

import { writeAll } from "../net/write_all.ts";

/**
 * Writes one `ERROR` line saying the server is full; the listener closes
 * the connection afterwards.
 */
export async function rejectBusy(conn: Deno.TcpConn, limit: number): Promise<void> {
  const text = `ERROR Server busy: ${limit} connections are open, try again later\n`;
  await writeAll(conn, new TextEncoder().encode(text));
}
