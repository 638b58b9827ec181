import assert from "node:assert/strict";
import { runDecryptClient } from "./decrypt_client.ts";
import { FrameReader } from "./frame_reader.ts";
import { encodeHeader } from "./header.ts";
import { serveGrading } from "./grading_server.ts";
import { encodePacket } from "./packet.ts";
import { ScoreStore } from "../scores/score_store.ts";
import { runPeer } from "../../testing/task1_peer.ts";
import { writeAll } from "../../testing/sockets.ts";

const SID = 20200000;
const TIMEOUT = 200;
const header = (fields: Partial<Parameters<typeof encodeHeader>[0]> = {}) =>
  encodeHeader({ flag: 1, checksum: 0xa3e3, keyword: "sbmt", sid: SID, length: 16, ...fields });
const withChecksum = (fields: Parameters<typeof encodePacket>[0]) => encodePacket(fields);

/** Sends raw bytes, then reads the server's answer: the result packet. */
async function sendRaw(port: number, bytes: Uint8Array, close = false) {
  using conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await writeAll(conn, bytes);
  if (close) await conn.closeWrite();
  const reader = new FrameReader(conn.readable);
  const packet = await reader.readPacket();
  return {
    keyword: packet?.keyword,
    score: packet?.sid,
    message: new TextDecoder().decode(packet?.data),
  };
}

Deno.test("serveGrading() answers every malformed header with FAIL, 0 and a clear message, and keeps serving", async () => {
  await using store = await ScoreStore.open(":memory:");
  const lines: string[] = [];
  await using server = serveGrading({
    hostname: "127.0.0.1",
    timeoutMs: TIMEOUT,
    store,
    log: (l) => lines.push(l),
  });
  const empty = new Uint8Array();
  const cases: [string, Uint8Array, string][] = [
    [
      "bad checksum",
      header({ checksum: 0x1234 }),
      "Bad checksum: field 0x1234, expected 0xa3e3 (or 0xe3a3 in RFC 1071 byte order)",
    ],
    [
      "length over 10000",
      header({ length: 10_000 }).map((b, i) => (i === 14 ? 0x2e : i === 15 ? 0xe0 : b)),
      "Invalid header: length 12000 exceeds 10000",
    ],
    [
      "length under 16",
      header().map((b, i) => (i === 15 ? 8 : b)),
      "Invalid header: length 8 is below the 16-byte header",
    ],
    [
      "garbage",
      new TextEncoder().encode("GET / HTTP/1.1\r\n\r\n"),
      "Invalid header: flag 18245, expected 0 (more) or 1 (last)",
    ],
    [
      "uppercase keyword",
      withChecksum({ flag: 1, keyword: "SBMT", sid: SID, data: empty }),
      "Invalid header: keyword 'SBMT' must be 4 lowercase letters",
    ],
    [
      "non-letter keyword",
      header().map((b, i) => (i === 5 ? 0x31 : b)),
      "Invalid header: keyword bytes 0x73 0x31 0x6d 0x74 are not 4 ASCII letters",
    ],
    [
      "short student id",
      withChecksum({ flag: 1, keyword: "sbmt", sid: 1234, data: empty }),
      "Invalid header: sid 1234 is not an 8-digit student id",
    ],
    [
      "flag 0",
      withChecksum({ flag: 0, keyword: "sbmt", sid: SID, data: empty }),
      "Invalid header: flag 0, expected 1 on the lone header packet",
    ],
    [
      "header with data",
      withChecksum({ flag: 1, keyword: "sbmt", sid: SID, data: new Uint8Array(4) }),
      "Invalid header: length 20, expected 16 (a header with no data)",
    ],
    [
      "length larger than what follows",
      header({ length: 20 }),
      `Timed out after ${TIMEOUT} ms waiting for the data of a 20-byte packet`,
    ],
    ["silence", empty, `Timed out after ${TIMEOUT} ms waiting for a packet header`],
  ];
  for (const [name, bytes, message] of cases) {
    const answer = await sendRaw(server.port, bytes);
    assert.deepEqual(answer, { keyword: "FAIL", score: 0, message }, name);
  }
  // A peer that closes cannot be answered (Deno closes a socket whose
  // reading side ended), but the log says what happened.
  const truncated = await sendRaw(server.port, header().subarray(0, 7), true);
  assert.equal(truncated.keyword, undefined);

  const good = await runDecryptClient({ hostname: "127.0.0.1", port: server.port, studentId: SID });
  assert.equal(good.score, 50);
  await server.close();
  assert.equal(lines.length, cases.length + 2);
  // Handlers log when they finish, so the order of lines is not asserted.
  const logged = (pattern: RegExp) =>
    assert.ok(lines.some((l) => pattern.test(l)), String(pattern));
  logged(/^\[127\.0\.0\.1:\d+\] no valid header: 0\/50 FAIL: Bad checksum: field 0x1234/);
  logged(
    /no valid header: 0\/50 FAIL: Connection closed after 7 of the 16 bytes of a packet header$/,
  );
  assert.deepEqual((await store.rows()).map((r) => [r.studentId, r.best, r.attempts]), [[
    SID,
    50,
    1,
  ]]);
});

Deno.test("serveGrading() fails bad reply packets with the partial score, and stores it", async () => {
  await using store = await ScoreStore.open(":memory:");
  await using server = serveGrading({
    hostname: "127.0.0.1",
    timeoutMs: TIMEOUT,
    store,
    log: () => {},
  });
  const edit = (at: number, value: number) => (packet: Uint8Array) =>
    packet.map((b, i) => (i === at ? value : b));
  const flip = (at: number) => (packet: Uint8Array) => packet.map((b, i) => (i === at ? b ^ 1 : b));
  const cases: [string, (packet: Uint8Array, index: number) => Uint8Array, RegExp][] = [
    [
      "wrong key",
      (p) => withChecksum({ flag: p[1] as 0 | 1, keyword: "ZZZZ", sid: SID, data: p.subarray(16) }),
      /^Reply packet 1: keyword 'ZZZZ', expected the key '[a-z]{4}'/,
    ],
    [
      "bad checksum",
      (p, i) => (i === 2 ? flip(20)(p) : p),
      /^Reply packet 2: Bad checksum: field 0x[0-9a-f]{4}, expected/,
    ],
    [
      "bad length",
      (p, i) => (i === 2 ? edit(12, 0x7f)(p) : p),
      /^Reply packet 2: Invalid header: length 2130716432 exceeds 10000/,
    ],
  ];
  for (const [name, editReply, message] of cases) {
    const run = await runPeer(server.port, { editReply });
    assert.equal(run.result?.keyword, "FAIL", name);
    assert.equal(run.result?.sid, 10, name);
    assert.match(run.message, message, `${name}: ${run.message}`);
    assert.match(run.message, / & YOUR POINTS ARE REGISTERED ON DATABASE$/, name);
  }
  const wrongSid = await runPeer(server.port, {
    editReply: (p) =>
      withChecksum({
        flag: 1,
        keyword: String.fromCharCode(...p.subarray(4, 8)),
        sid: 20201111,
        data: p.subarray(16),
      }),
  });
  assert.match(wrongSid.message, /^Reply packet 1: sid 20201111, expected 20200000/);
  assert.equal(await store.best(SID, 1), 10);
});

Deno.test("serveGrading() stores the partial score of a client that closes early", async () => {
  await using store = await ScoreStore.open(":memory:");
  const lines: string[] = [];
  const server = serveGrading({
    hostname: "127.0.0.1",
    timeoutMs: TIMEOUT,
    store,
    log: (l) => lines.push(l),
  });
  const run = await runPeer(server.port, { closeAfterReplies: 1 });
  assert.equal(run.result, null);
  await server.close({ force: false });
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /sid 20200000 sbmt: 10\/50 FAIL \(best 10\): Connection closed after 1 reply packets, before flag 1/,
  );
  assert.equal(await store.best(SID, 1), 10);
});

Deno.test("serveGrading() fails a client that stops replying, after the timeout", async () => {
  await using server = serveGrading({ hostname: "127.0.0.1", timeoutMs: TIMEOUT, log: () => {} });
  using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await writeAll(
    conn,
    withChecksum({ flag: 1, keyword: "test", sid: SID, data: new Uint8Array() }),
  );
  const reader = new FrameReader(conn.readable);
  let packet;
  do packet = await reader.readPacket(); while (packet && packet.keyword !== "FAIL");
  assert.equal(packet?.sid, 10);
  assert.equal(
    new TextDecoder().decode(packet?.data),
    `Reply packet 1: Timed out after ${TIMEOUT} ms waiting for the client's reply (test run with keyword 'test': not stored)`,
  );
});

Deno.test("serveGrading() withholds the receive points from a reply that ends at packet 1", async () => {
  await using server = serveGrading({ hostname: "127.0.0.1", log: () => {} });
  const run = await runPeer(server.port, {
    keyword: "test",
    editReply: (p, index) =>
      index === 1
        ? withChecksum({
          flag: 1,
          keyword: String.fromCharCode(...p.subarray(4, 8)),
          sid: SID,
          data: p.subarray(16),
        })
        : p,
  });
  assert.equal(run.result?.sid, 10);
  assert.equal(
    run.message,
    "REPLY ENDED BEFORE THE LAST PACKET: reply ends at byte 9984, expected 25000 bytes; " +
      "the last packet starts at byte 19968 (test run with keyword 'test': not stored)",
  );
});

Deno.test("serveGrading() refuses empty packets with flag 0, which could stall it", async () => {
  await using server = serveGrading({ hostname: "127.0.0.1", log: () => {} });
  const run = await runPeer(server.port, {
    keyword: "test",
    editReply: (p) =>
      withChecksum({
        flag: 0,
        keyword: String.fromCharCode(...p.subarray(4, 8)),
        sid: SID,
        data: new Uint8Array(),
      }),
  });
  assert.equal(
    run.message,
    "Reply packet 1: no data, and flag 0 (test run with keyword 'test': not stored)",
  );
});

Deno.test("serveGrading() ends a reply that outlasts the session limit", async () => {
  await using server = serveGrading({ hostname: "127.0.0.1", sessionLimitMs: 1, log: () => {} });
  const run = await runPeer(server.port, {
    keyword: "test",
    editReply: (p) => {
      const until = Date.now() + 5; // make the deadline certain to pass
      while (Date.now() < until) { /* busy wait */ }
      return p;
    },
  });
  assert.equal(run.result?.keyword, "FAIL");
  assert.match(run.message, /^Reply not finished within the session limit of 1 ms/);
});

Deno.test("serveGrading() stores nothing for a session cut off by shutdown", async () => {
  await using store = await ScoreStore.open(":memory:");
  const lines: string[] = [];
  const server = serveGrading({ hostname: "127.0.0.1", store, log: (l) => lines.push(l) });
  using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await writeAll(
    conn,
    withChecksum({ flag: 1, keyword: "sbmt", sid: SID, data: new Uint8Array() }),
  );
  const reader = new FrameReader(conn.readable);
  assert.equal((await reader.readPacket())?.flag, 0); // the server is now waiting for a reply
  await server.close();
  assert.deepEqual(await store.rows(), []);
  assert.match(
    lines[0]!,
    /sid 20200000 sbmt: 10\/50 FAIL: Server shutting down \(.*\): not stored$/,
  );
});
