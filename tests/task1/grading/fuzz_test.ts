/**
 * Property tests with random and mutated byte streams: the decoders and the
 * FrameReader in process, and the grading server over loopback. Every case
 * must end with a protocol error or a clean result (never another throw or
 * an unhandled rejection), every connection must end within its limit, and
 * a well-formed client must be served right afterwards.
 */

import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import { ProtocolError } from "../../../lib/net/errors.ts";
import { runDecryptClient } from "../../../lib/task1/client/decrypt_client.ts";
import { FrameReader } from "../../../lib/task1/protocol/frame_reader.ts";
import { serveGrading } from "../../../lib/task1/grading/grading_server.ts";
import { decodeHeader, packetLength } from "../../../lib/task1/protocol/header.ts";
import { decodePacket, encodePacket } from "../../../lib/task1/protocol/packet.ts";
import { writeAll } from "../../helpers/sockets.ts";

const SID = 20200000;
const IN_PROCESS_RUNS = 300;
const LOOPBACK_CASES = 40;

/** A valid client transcript: the header, then reply packets under some key. */
const transcript = fc.record({
  keyword: fc.constantFrom("sbmt", "test", "abcd"),
  replies: fc.array(fc.uint8Array({ maxLength: 3_000 }), { maxLength: 3 }),
}).map(({ keyword, replies }) => {
  const packets = [encodePacket({ flag: 1, keyword, sid: SID, data: new Uint8Array() })];
  replies.forEach((data, i) =>
    packets.push(
      encodePacket({ flag: i === replies.length - 1 ? 1 : 0, keyword: "tree", sid: SID, data }),
    )
  );
  return Uint8Array.from(packets.flatMap((p) => [...p]));
});

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "truncate"; at: number }
  | { kind: "length"; at: number; value: number }
  | { kind: "garbage"; at: number; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("length" as const),
    at: fc.nat(),
    value: fc.oneof(fc.nat(20), fc.integer({ min: 10_001, max: 0xffff_ffff }), fc.nat(10_000)),
  }),
  fc.record({
    kind: fc.constant("garbage" as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }),
  }),
);

function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out = bytes;
  for (const m of mutations) {
    if (out.length === 0) break;
    const at = m.at % out.length;
    if (m.kind === "flip") {
      out = out.slice();
      out[at]! ^= 1 << m.bit;
    } else if (m.kind === "truncate") {
      out = out.subarray(0, at);
    } else if (m.kind === "length") {
      // Overwrite a length field: at a packet boundary if the offset is one.
      out = out.slice();
      const field = at - (at % 16) + 12;
      if (field + 4 <= out.length) new DataView(out.buffer).setUint32(field, m.value);
    } else {
      out = Uint8Array.from([...out.subarray(0, at), ...m.bytes, ...out.subarray(at)]);
    }
  }
  return out;
}

const stream = fc.oneof(
  fc.tuple(transcript, fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([bytes, mutations]) => mutate(bytes, mutations)),
  fc.uint8Array({ maxLength: 2_000 }), // pure noise
);

/** A byte stream that delivers `bytes` in the given chunk sizes. */
function chunked(bytes: Uint8Array, sizes: number[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    type: "bytes",
    start(controller) {
      let at = 0;
      for (const size of sizes) {
        if (at >= bytes.length) break;
        controller.enqueue(bytes.slice(at, at + size));
        at += size;
      }
      if (at < bytes.length) controller.enqueue(bytes.slice(at));
      controller.close();
    },
  });
}

const isProtocolError = (error: unknown) => error instanceof ProtocolError;

Deno.test(`decoders throw only protocol errors on random and mutated bytes (${IN_PROCESS_RUNS} runs)`, () => {
  fc.assert(
    fc.property(stream, (bytes) => {
      for (const decode of [decodeHeader, packetLength, decodePacket]) {
        try {
          decode(bytes);
        } catch (error) {
          assert.ok(isProtocolError(error), String(error));
        }
      }
    }),
    { numRuns: IN_PROCESS_RUNS },
  );
});

Deno.test(`FrameReader ends every mutated stream with packets, null or a protocol error (${IN_PROCESS_RUNS} runs)`, async () => {
  await fc.assert(
    fc.asyncProperty(
      stream,
      fc.array(fc.integer({ min: 1, max: 600 }), { maxLength: 30 }),
      fc.boolean(),
      async (bytes, sizes, strict) => {
        const reader = new FrameReader(chunked(bytes, sizes));
        let consumed = 0;
        for (let packets = 0;; packets++) {
          assert.ok(packets <= bytes.length / 16 + 1, "more packets than the bytes can hold");
          try {
            const packet = strict ? await reader.readPacket() : await reader.readFrame();
            if (packet === null) break;
            consumed += packet instanceof Uint8Array ? packet.length : packet.data.length + 16;
          } catch (error) {
            assert.ok(isProtocolError(error), String(error));
            break;
          }
        }
        assert.ok(consumed <= bytes.length);
      },
    ),
    { numRuns: IN_PROCESS_RUNS },
  );
});

Deno.test(`serveGrading() survives ${LOOPBACK_CASES} mutated client streams over loopback, serving a good client after each`, async () => {
  const lines: string[] = [];
  await using server = serveGrading({
    hostname: "127.0.0.1",
    plaintextSize: 5_000,
    // Generous for the good clients: 40 sessions at once on a loaded 2-core
    // machine can leave one 150 ms between packets (seen: "got 0"). Mutated
    // streams that stall end on it, so it bounds the test, in parallel.
    timeoutMs: 1_000,
    drainMs: 50,
    replyLimitMs: 1_000,
    log: (line) => lines.push(line),
  });
  const cases = fc.sample(fc.tuple(stream, fc.boolean()), { numRuns: LOOPBACK_CASES, seed: 341 });
  const limitMs = 6_000; // read timeout + drain + session limit, with room to spare
  await Promise.all(cases.map(async ([bytes, halfClose], index) => {
    using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    try {
      await writeAll(conn, bytes);
      if (halfClose) await conn.closeWrite();
    } catch {
      // The server may have answered and closed before everything was written.
    }
    const ended = (async () => {
      const buffer = new Uint8Array(64 * 1024);
      try {
        while (await conn.read(buffer) !== null) { /* the server's packets */ }
      } catch {
        // A reset is an end too.
      }
      return true;
    })();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<false>((
      resolve,
    ) => (timer = setTimeout(() => resolve(false), limitMs)));
    const inTime = await Promise.race([ended, late]);
    clearTimeout(timer);
    assert.ok(inTime, `case ${index}: the connection was still open after ${limitMs} ms`);
    const good = await runDecryptClient({
      hostname: "127.0.0.1",
      port: server.port,
      studentId: SID,
      keyword: "test",
    });
    assert.equal(good.score, 50, `case ${index}: the next good client got ${good.score}`);
  }));
  await server.close({ force: false }); // every session has logged
  assert.deepEqual(lines.filter((line) => line.includes("Unexpected error")), []);
  assert.equal(lines.length, 2 * LOOPBACK_CASES);
});

Deno.test("FrameReader reads a transcript truncated at every offset as whole packets, then null or TruncatedError", async () => {
  const packets = [encodePacket({ flag: 1, keyword: "sbmt", sid: SID, data: new Uint8Array() })];
  for (const [size, flag] of [[1_000, 0], [777, 0], [1, 1]] as const) {
    const data = crypto.getRandomValues(new Uint8Array(size));
    packets.push(encodePacket({ flag, keyword: "tree", sid: SID, data }));
  }
  const whole = Uint8Array.from(packets.flatMap((p) => [...p]));
  const boundaries = new Set<number>();
  for (let at = 0; at < whole.length; at += packetLength(whole.subarray(at))) boundaries.add(at);
  for (let end = 0; end <= whole.length; end++) {
    const reader = new FrameReader(chunked(whole.subarray(0, end), [7, 300, 16]));
    let read = 0;
    for (;;) {
      try {
        const packet = await reader.readPacket();
        if (packet === null) {
          assert.ok(boundaries.has(end) || end === whole.length, `clean end at ${end}`);
          break;
        }
        read += packet.data.length + 16;
      } catch (error) {
        assert.equal((error as Error).name, "TruncatedError", `offset ${end}`);
        assert.ok(!boundaries.has(end), `offset ${end} is a packet boundary`);
        break;
      }
    }
    assert.ok(read <= end);
  }
});
