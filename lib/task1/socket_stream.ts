/**
 * A byte stream over a connection's `read`, for readers that must still
 * write after the peer has half-closed.
 *
 * Deno's own `conn.readable` closes the whole connection once it reaches
 * end of stream, so a server reading through it cannot answer a client that
 * sent its last packet and then shut down its sending side (a common way to
 * say "done"). This stream ends without closing anything.
 *
 * @module
 */

/**
 * A BYOB-capable byte stream of what `conn.read` returns; end of stream
 * closes the stream but leaves `conn` open for writing.
 *
 * @example
 * ```ts
 * import { readableOf } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * using client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * using server = await listener.accept();
 * await client.write(new Uint8Array([1, 2]));
 * await client.closeWrite();
 * const reader = readableOf(server).getReader({ mode: "byob" });
 * assert.deepEqual((await reader.read(new Uint8Array(2), { min: 2 })).value, new Uint8Array([1, 2]));
 * assert.equal((await reader.read(new Uint8Array(2))).done, true);
 * assert.equal(await server.write(new Uint8Array([3])), 1); // still open for writing
 * ```
 */
export function readableOf(conn: Deno.Conn): ReadableStream<Uint8Array> {
  return new ReadableStream({
    type: "bytes",
    autoAllocateChunkSize: 64 * 1024,
    async pull(controller) {
      const request = controller.byobRequest!;
      const view = request.view!;
      const n = await conn.read(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
      if (n === null) {
        controller.close();
        request.respond(0);
      } else {
        request.respond(n);
      }
    },
  });
}
