/**
 * The compute server's connection limit, shared by every listener thread,
 * and its goodbye to a connection over it.
 *
 * @module
 */

import { withTimeout } from "../../net/deadline.ts";
import { writeAll } from "../../net/write_all.ts";

/**
 * A count of the connections being served, in shared memory, so that the
 * main thread and every listener worker apply one limit to their sum.
 */
export function connectionSlots(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
}

/**
 * Takes one of the `limit` slots: true when a connection may be served
 * (then call {@linkcode releaseSlot} when it ends), false when the server
 * is full (then {@linkcode rejectBusy}).
 */
export function takeSlot(slots: Int32Array, limit: number): boolean {
  if (Atomics.add(slots, 0, 1) < limit) return true;
  Atomics.sub(slots, 0, 1);
  return false;
}

/** Gives back a slot taken by {@linkcode takeSlot}. */
export function releaseSlot(slots: Int32Array): void {
  Atomics.sub(slots, 0, 1);
}

/**
 * Writes one `ERROR` line saying the server is full, bounded to 1 s; the
 * caller closes the connection afterwards.
 */
export async function rejectBusy(conn: Deno.TcpConn, limit: number): Promise<void> {
  const text = `ERROR Server busy: ${limit} connections are open, try again later\n`;
  await withTimeout(writeAll(conn, new TextEncoder().encode(text)), 1000, "a rejected client");
}
