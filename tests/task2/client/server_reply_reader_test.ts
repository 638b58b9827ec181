import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import { ByteSource } from "../../../lib/net/byte_source.ts";
import { ReplyReader } from "../../../lib/task2/client/server_reply_reader.ts";
import { socketPair, writeBytewise } from "../../helpers/sockets.ts";
import { writeAll } from "../../../lib/net/write_all.ts";
import { byteStream } from "../../helpers/streams.ts";

const UUID = "f97e575c28d536b49170f3cbaef757af";
const encode = (text: string) => new TextEncoder().encode(text);

/** A byte stream that delivers `chunks` one by one, then ends. */

function cut(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (const point of [...points, bytes.length]) {
    if (point > at) chunks.push(bytes.subarray(at, point));
    at = Math.max(at, point);
  }
  return chunks;
}

Deno.test("ReplyReader reads the same UUID and replies however the bytes are cut", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.bigInt({ min: 0n, max: 10n ** 40n }), { minLength: 1, maxLength: 4 }),
      fc.array(fc.nat(), { maxLength: 12 }),
      async (answers, cuts) => {
        const wire = encode(UUID + answers.map((a) => `${a}_${UUID}`).join(""));
        // Replies are read one at a time, so whole replies must not be merged
        // into one chunk past a reply's end: cut at every reply boundary too.
        let at = UUID.length;
        const bounds = [at];
        for (const a of answers) bounds.push(at += `${a}_${UUID}`.length);
        const reader = new ReplyReader(new ByteSource(byteStream(cut(wire, [...cuts, ...bounds]))));
        const deadline = performance.now() + 1000;
        assert.deepEqual(await reader.readUuid(deadline), {
          text: UUID,
          raw: UUID,
          bytes: 32,
          end: "done",
        });
        for (const answer of answers) {
          const reply = await reader.readReply(deadline, 1024);
          const text = `${answer}_${UUID}`;
          assert.deepEqual(reply, { text, raw: text, bytes: reply.bytes, end: "done" });
        }
        assert.equal((await reader.readRest(deadline, 10)).end, "eof");
      },
    ),
    { numRuns: 100 },
  );
});

Deno.test("ReplyReader.readUuid() stops at the first byte that cannot be a UUID", async () => {
  const reader = new ReplyReader(new ByteSource(byteStream([encode("ERROR\x1b[2J go away")])));
  const result = await reader.readUuid(performance.now() + 1000);
  assert.equal(result.end, "done");
  assert.equal(result.text, "ERROR\\x1b[2J go away"); // escaped
});

Deno.test("ReplyReader stops at its cap when a server sends without end", async () => {
  using pair = await socketPair();
  const flood = (async () => {
    const junk = new Uint8Array(4096).fill(0x37);
    try {
      for (;;) await writeAll(pair.server, junk);
    } catch {
      // The client closed: the flood ends.
    }
  })();
  const reader = new ReplyReader(new ByteSource(pair.client.readable, 1024));
  const reply = await reader.readReply(performance.now() + 5000, 10_000);
  assert.equal(reply.end, "cap");
  assert.equal(reply.bytes, 10_000);
  pair.client.close();
  await flood;
});

Deno.test("ReplyReader ends a reply that trickles past its deadline", async () => {
  using pair = await socketPair();
  const trickle = (async () => {
    try {
      for (let i = 0; i < 50; i++) {
        await writeBytewise(pair.server, encode("1"));
        await sleep(10);
      }
    } catch {
      // The client closed.
    }
  })();
  const reader = new ReplyReader(new ByteSource(pair.client.readable));
  const reply = await reader.readReply(performance.now() + 100, 1024);
  assert.equal(reply.end, "timeout");
  assert.ok(reply.bytes < 50); // it ended before the trickle did
  pair.client.close();
  await trickle;
});
