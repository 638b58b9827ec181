/**
 * The compute server's goodbye to a connection over its connection budget
 * (the budget itself is `lib/net/connection_budget.ts`, applied by the
 * listener).
 *
 * @module
 */

import { withTimeout } from "../../net/deadline.ts";
import { writeAll } from "../../net/write_all.ts";

/**
 * Writes one `ERROR` line saying the server is full, bounded to 1 s; the
 * caller closes the connection afterwards.
 */
export async function rejectBusy(conn: Deno.TcpConn, limit: number): Promise<void> {
  const text = `ERROR Server busy: ${limit} connections are open, try again later\n`;
  await withTimeout(writeAll(conn, new TextEncoder().encode(text)), 1000, "a rejected client");
}
