import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import { ByteSource } from "../../../lib/net/byte_source.ts";
import { TimeoutError, TruncatedError } from "../../../lib/net/errors.ts";
import { serveCompute } from "../../../lib/task2/server/compute_server.ts";
import { RequestError } from "../../../lib/task2/protocol/errors.ts";
import { KEYWORDS, RequestReader } from "../../../lib/task2/server/request_reader.ts";
import { rawPeer } from "../../helpers/task2_peer.ts";
import { byteStream } from "../../helpers/streams.ts";

const encoder = new TextEncoder();

/** One message of a plausible conversation, or garbage. */
const token = fc.oneof(
  fc.constantFrom(...KEYWORDS).chain((keyword) =>
    fc.boolean().map((lower) => (lower ? keyword.toLowerCase() : keyword))
  ),
  fc.nat(2000).map(String),
  fc.stringMatching(/^[ \t\r\n]{1,3}$/),
  fc.string({ maxLength: 12 }).map((words) => `FILE ${encoder.encode(words).length}${words}`),
  fc.uint8Array({ maxLength: 24 }),
);

/** A byte stream: tokens, then bit flips, a truncation, and cuts into writes. */
const stream = fc.record({
  tokens: fc.array(token, { maxLength: 12 }),
  flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { maxLength: 3 }),
  keep: fc.option(fc.nat(), { nil: undefined }),
  cuts: fc.array(fc.nat(), { maxLength: 8 }),
}).map(({ tokens, flips, keep, cuts }) => {
  const parts = ["Client1", ...tokens].map((t) => typeof t === "string" ? encoder.encode(t) : t);
  let bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) bytes.set(part, (at += part.length) - part.length);
  for (const [index, bit] of flips) {
    if (bytes.length > 0) bytes[index % bytes.length]! ^= 1 << bit;
  }
  if (keep !== undefined && bytes.length > 0) bytes = bytes.subarray(0, keep % bytes.length);
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) pieces.push(bytes.slice(start, point));
    start = point;
  }
  return pieces;
});

/** Runs a session's reading loop; returns how it ended. */
async function converse(reader: RequestReader): Promise<string> {
  if (await reader.readName(256) === null) return "closed";
  for (let step = 0; step < 1000; step++) {
    try {
      const keyword = await reader.readKeyword();
      if (keyword === null || keyword === "COMPLETE") return "closed";
      const n = await reader.readNumber("n");
      if (keyword === "FILE" || keyword === "WORD_COUNT") {
        if (n > 64 * 1024 * 1024) throw new RequestError("too long");
        await reader.readBody(n, () => {});
      }
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      await reader.discardBurst();
    }
  }
  throw new Error("no progress after 1000 requests");
}

Deno.test("RequestReader survives random and mutated byte streams (300 cases)", () =>
  fc.assert(
    fc.asyncProperty(
      stream,
      fc.constantFrom("writes", "pauses") as fc.Arbitrary<"writes" | "pauses">,
      async (pieces, framing) => {
        using source = new ByteSource(byteStream(pieces));
        const reader = new RequestReader(source, { gapMs: 2, idleMs: 500, framing });
        try {
          assert.equal(await converse(reader), "closed");
        } catch (error) {
          // Bad names end the session; a stream may stop anywhere.
          if (error instanceof RequestError || error instanceof TruncatedError) return;
          if (error instanceof TimeoutError) return;
          throw error;
        }
      },
    ),
    { numRuns: 300 },
  ));

Deno.test("serveCompute() survives random and mutated byte streams over loopback (30 cases)", async () => {
  const lines: string[] = [];
  await using server = serveCompute({
    hostname: "127.0.0.1",
    gapMs: 5,
    timeoutMs: 150,
    sessionLimitMs: 1000,
    log: (line) => lines.push(line),
  });
  await fc.assert(
    fc.asyncProperty(stream, fc.boolean(), async (pieces, hangUp) => {
      {
        using peer = await rawPeer(server.port);
        for (const piece of pieces) await peer.conn.write(piece).catch(() => 0);
        if (hangUp) await peer.conn.closeWrite().catch(() => {});
        // Ends within the limits (rest() itself gives up after 5 s).
        await peer.rest().catch((error) => {
          if (!(error instanceof Deno.errors.ConnectionReset)) throw error;
        });
      }
      // A well-formed client is served right afterwards.
      using next = await rawPeer(server.port);
      await next.send("Client1");
      assert.equal(await next.exactly(32), "f97e575c28d536b49170f3cbaef757af");
      await next.send("FIBONACCI 10");
      assert.equal(await next.reply(), "55_f97e575c28d536b49170f3cbaef757af");
    }),
    { numRuns: 30 },
  );
  assert.ok(!lines.some((line) => line.includes("Unexpected error")), lines.join("\n"));
});
