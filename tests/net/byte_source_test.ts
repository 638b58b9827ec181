import assert from "node:assert/strict";
import { ByteSource } from "../../lib/net/byte_source.ts";
import { serveTcp } from "../../lib/net/listener.ts";
import { byteStream } from "../helpers/streams.ts";

Deno.test("ByteSource grows its buffer while reads fill it and shrinks it back", async () => {
  const source = new ByteSource(byteStream([new Uint8Array(10_000), new Uint8Array(3)]), {
    initialSize: 1024,
    maxSize: 4096,
  });
  assert.equal(source.capacity, 1024);
  let total = 0;
  const sizes: number[] = [];
  while (await source.wait(1000) === "data") {
    sizes.push(source.capacity);
    const piece = source.takeUpTo(Number.POSITIVE_INFINITY);
    total += piece.length;
    // A full read is no write boundary; a short one is.
    assert.equal(source.atBoundary, piece.length < source.capacity);
  }
  assert.equal(total, 10_003);
  // Doubling while full (1024, 2048, 4096), then the short read of the
  // rest of the first chunk, then back to 1024 for the small one.
  assert.deepEqual(sizes, [1024, 2048, 4096, 4096, 1024]);
  assert.equal(await source.wait(10), "eof");
});

Deno.test("ByteSource over a connection reports the peer's writes as boundaries", async () => {
  const seen: string[] = [];
  await using service = serveTcp({ hostname: "127.0.0.1" }, async (conn) => {
    using source = new ByteSource(conn);
    while (await source.wait(1000) === "data") {
      seen.push(new TextDecoder().decode(source.takeUpTo(100)));
      assert.equal(source.atBoundary, true);
      await conn.write(new Uint8Array([1]));
    }
    await source.ended;
  }, { log: console.error });
  using conn = await Deno.connect({ hostname: "127.0.0.1", port: service.port });
  for (const text of ["Client1", "FIBONACCI", "7"]) {
    await conn.write(new TextEncoder().encode(text));
    await conn.read(new Uint8Array(1));
  }
  conn.closeWrite();
  await service.close({ force: false });
  assert.deepEqual(seen, ["Client1", "FIBONACCI", "7"]);
});

Deno.test("ByteSource.wait() says quiet without losing the pending read", async () => {
  let push!: (bytes: Uint8Array) => void;
  const stream = new ReadableStream<Uint8Array>({
    type: "bytes",
    start(controller) {
      push = (bytes) => controller.enqueue(bytes);
    },
  });
  using source = new ByteSource(stream);
  assert.equal(await source.wait(5), "quiet");
  source.prefetch();
  push(new Uint8Array([7]));
  assert.equal(await source.wait(1000), "data");
  assert.equal(source.take(), 7);
});

Deno.test("ByteSource.peekUpTo() shows buffered bytes without taking them", async () => {
  using source = new ByteSource(byteStream([new Uint8Array([1, 2, 3])]));
  assert.deepEqual(source.peekUpTo(10), new Uint8Array(0));
  assert.equal(await source.wait(1000), "data");
  assert.deepEqual(source.peekUpTo(2), new Uint8Array([1, 2]));
  assert.equal(source.buffered, 3);
  assert.deepEqual(source.takeUpTo(10), new Uint8Array([1, 2, 3]));
  assert.equal(await source.wait(1000), "eof");
});

Deno.test("ByteSource.release() unlocks the stream it reads", async () => {
  const stream = byteStream([new Uint8Array([7])]);
  using source = new ByteSource(stream);
  assert.equal(stream.locked, true);
  assert.equal(await source.wait(1000), "data");
  source.release();
  assert.equal(stream.locked, false);
});
