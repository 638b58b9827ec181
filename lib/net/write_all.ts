/**
 * Complete writes. `Deno.Conn.write` may write only part of a buffer.
 *
 * @module
 */

/**
 * Anything with a `Deno.Conn`-style partial `write`.
 *
 * @example
 * ```ts
 * import { type PartialWriter, writeAll } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const received: number[] = [];
 * const oneByteAtATime: PartialWriter = {
 *   write: (bytes) => (received.push(bytes[0]!), Promise.resolve(1)),
 * };
 * await writeAll(oneByteAtATime, new Uint8Array([7, 8, 9]));
 * assert.deepEqual(received, [7, 8, 9]);
 * ```
 */
export interface PartialWriter {
  /** Writes some of `bytes` and resolves how many. */
  write(bytes: Uint8Array): Promise<number>;
}

/**
 * Writes all of `bytes` to `writer`, looping over partial writes.
 *
 * @example
 * ```ts
 * import { writeAll } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const chunks: number[][] = [];
 * const writer = {
 *   write(bytes: Uint8Array) {
 *     chunks.push([...bytes.subarray(0, 2)]);
 *     return Promise.resolve(Math.min(2, bytes.length));
 *   },
 * };
 * await writeAll(writer, new Uint8Array([1, 2, 3, 4, 5]));
 * assert.deepEqual(chunks, [[1, 2], [3, 4], [5]]);
 * ```
 */
export async function writeAll(writer: PartialWriter, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) offset += await writer.write(bytes.subarray(offset));
}
