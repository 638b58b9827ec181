import assert from "node:assert/strict";
import { closeQuietly } from "../../../lib/net/deadline.ts";
import fc from "../../helpers/fast_check.ts";
import { byteStream } from "../../helpers/streams.ts";
import { FrameReader } from "../../../lib/task1/protocol/frame_reader.ts";
import { encodePacket } from "../../../lib/task1/protocol/packet.ts";
import { socketPair, writeAll, writeBytewise } from "../../helpers/sockets.ts";

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const packet = (word: string, flag: 0 | 1 = 1) =>
  encodePacket({ flag, keyword: "tree", sid: 20200000, data: new TextEncoder().encode(word) });

Deno.test("readPacket() reassembles a packet written one byte per write", async () => {
  using pair = await socketPair();
  const reader = new FrameReader(pair.server.readable);
  const [received] = await Promise.all([
    reader.readPacket(),
    writeBytewise(pair.client, packet("split")),
  ]);
  assert.equal(text(received?.data), "split");
  reader.release();
});

Deno.test("readPacket() separates packets coalesced into one write", async () => {
  using pair = await socketPair();
  const reader = new FrameReader(pair.server.readable);
  const wire = new Uint8Array([...packet("one", 0), ...packet(""), ...packet("three")]);
  await writeAll(pair.client, wire);
  pair.client.close();
  assert.equal(text((await reader.readPacket())?.data), "one");
  assert.equal((await reader.readPacket())?.data.length, 0);
  assert.equal(text((await reader.readPacket())?.data), "three");
  assert.equal(await reader.readPacket(), null);
});

Deno.test("readPacket() reads a full 10000-byte packet", async () => {
  using pair = await socketPair();
  const reader = new FrameReader(pair.server.readable);
  const big = packet("x".repeat(9_984));
  const [received] = await Promise.all([reader.readPacket(), writeAll(pair.client, big)]);
  assert.equal(received?.data.length, 9_984);
  reader.release();
});

Deno.test("readPacket() returns null on a close between packets", async () => {
  using pair = await socketPair();
  const reader = new FrameReader(pair.server.readable);
  pair.client.close();
  assert.equal(await reader.readPacket(), null);
});

Deno.test("readPacket() throws TruncatedError on a close inside the header", async () => {
  using pair = await socketPair();
  const reader = new FrameReader(pair.server.readable);
  await writeAll(pair.client, packet("abc").subarray(0, 5));
  pair.client.close();
  await assert.rejects(reader.readPacket(), {
    name: "TruncatedError",
    message: "Connection closed after 5 of the 16 bytes of a packet header",
  });
});

Deno.test("readPacket() throws TruncatedError on a close inside the data", async () => {
  using pair = await socketPair();
  const reader = new FrameReader(pair.server.readable);
  await writeAll(pair.client, packet("abcdef").subarray(0, 18));
  pair.client.close();
  await assert.rejects(reader.readPacket(), {
    name: "TruncatedError",
    message: "Connection closed after 2 of the 6 bytes of the data of a 22-byte packet",
  });
});

Deno.test("readPacket() throws TruncatedError on a close right after the header", async () => {
  using pair = await socketPair();
  const reader = new FrameReader(pair.server.readable);
  await writeAll(pair.client, packet("abcdef").subarray(0, 16));
  pair.client.close();
  await assert.rejects(reader.readPacket(), {
    name: "TruncatedError",
    message: "Connection closed after the header of a 22-byte packet, before its 6 data bytes",
  });
});

Deno.test("readPacket() rejects a bad header before waiting for data", async () => {
  using pair = await socketPair();
  const reader = new FrameReader(pair.server.readable);
  const bad = packet("abc");
  bad[14] = 0x2e; // length 0x2e13 = 11795
  await writeAll(pair.client, bad.subarray(0, 16));
  await assert.rejects(reader.readPacket(), {
    name: "HeaderError",
    message: "Invalid header: length 11795 exceeds 10000",
  });
  reader.release();
});

Deno.test("readPacket() rejects a bad checksum", async () => {
  using pair = await socketPair();
  const reader = new FrameReader(pair.server.readable);
  const bad = packet("abc");
  bad[17]! ^= 0x01;
  await writeAll(pair.client, bad);
  await assert.rejects(reader.readPacket(), { name: "ChecksumError" });
  reader.release();
});

Deno.test("readExact() times out on silence and runs onTimeout", async () => {
  using pair = await socketPair();
  let timedOut = false;
  const reader = new FrameReader(pair.server.readable, {
    timeoutMs: 20,
    onTimeout: () => {
      timedOut = true;
      closeQuietly(pair.server);
    },
  });
  await writeAll(pair.client, new Uint8Array(3));
  await assert.rejects(reader.readExact(4, "a test frame"), {
    name: "TimeoutError",
    message: "Timed out after 20 ms waiting for a test frame",
  });
  assert.equal(timedOut, true);
});

Deno.test("readPacket() gives the same packets however the stream is chunked", async () => {
  const words = fc.array(fc.string({ maxLength: 300 }), { minLength: 1, maxLength: 5 });
  const cuts = fc.array(fc.integer({ min: 1, max: 2_000 }), { maxLength: 20 });
  await fc.assert(
    fc.asyncProperty(words, cuts, async (list, sizes) => {
      const wire = new Uint8Array(list.flatMap((word) => [...packet(word)]));
      const chunks: Uint8Array[] = [];
      let at = 0;
      for (const size of sizes) {
        if (at >= wire.length) break;
        chunks.push(wire.slice(at, at + size));
        at += size;
      }
      if (at < wire.length) chunks.push(wire.slice(at));
      const reader = new FrameReader(byteStream(chunks));
      for (const word of list) assert.equal(text((await reader.readPacket())?.data), word);
      assert.equal(await reader.readPacket(), null);
    }),
    { numRuns: 100 },
  );
});

Deno.test("hasBufferedPacket() is true only when a whole packet has arrived", async () => {
  const one = packet("one");
  const reader = new FrameReader(
    byteStream([new Uint8Array([...one, ...one, ...one.subarray(0, 10)]), one.subarray(10)]),
  );
  assert.equal(reader.hasBufferedPacket(), false); // nothing read yet
  assert.equal(text((await reader.readPacket())?.data), "one");
  assert.equal(reader.hasBufferedPacket(), true); // the second packet came in the same read
  assert.equal(text((await reader.readPacket())?.data), "one");
  assert.equal(reader.hasBufferedPacket(), false); // 10 of the third packet's bytes
  assert.equal(text((await reader.readPacket())?.data), "one");
  assert.equal(await reader.readPacket(), null);
});
