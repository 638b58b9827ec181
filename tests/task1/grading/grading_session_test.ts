import assert from "node:assert/strict";
import { runDecryptClient } from "../../../lib/task1/client/decrypt_client.ts";
import { FrameReader } from "../../../lib/task1/protocol/frame_reader.ts";
import { encodeHeader } from "../../../lib/task1/protocol/header.ts";
import { serveGrading } from "../../../lib/task1/grading/grading_server.ts";
import { gradeConnection } from "../../../lib/task1/grading/grading_session.ts";
import { encodePacket } from "../../../lib/task1/protocol/packet.ts";
import { packetChecksum } from "../../../lib/task1/protocol/checksum.ts";
import { ScoreStore } from "../../../lib/scores/score_store.ts";
import { runPeer } from "../../helpers/task1_peer.ts";
import { writeAll } from "../../helpers/sockets.ts";

const SID = 20200000;
const TIMEOUT = 200;
const DRAIN = 50;
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
    drainMs: DRAIN,
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
      "Invalid header: keyword 'SBMT' must be 4 lowercase letters; LIKELY CAUSE: keyword 'SBMT' " +
      "has capitals: keywords are lowercase, 'sbmt'",
    ],
    [
      "non-letter keyword",
      header().map((b, i) => (i === 5 ? 0x31 : b)),
      "Invalid header: keyword bytes 0x73 0x31 0x6d 0x74 are not 4 ASCII letters",
    ],
    [
      "short student id",
      withChecksum({ flag: 1, keyword: "sbmt", sid: 1234, data: empty }),
      "Invalid header: sid 1234 is not an 8-digit student id; LIKELY CAUSE: sid 1234 has 4 digits: " +
      "the student id is your 8-digit id (10000000 to 99999999), sent as a number",
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
  // A peer that shuts down its sending side is still answered.
  const truncated = await sendRaw(server.port, header().subarray(0, 7), true);
  assert.deepEqual(truncated, {
    keyword: "FAIL",
    score: 0,
    message: "Connection closed after 7 of the 16 bytes of a packet header",
  });

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

/** The key a reply packet carries, as the server sent it. */
const keyOf = (p: Uint8Array) => String.fromCharCode(...p.subarray(4, 8));
/** A reply packet rebuilt with some fields changed. */
const rebuilt = (p: Uint8Array, fields: Partial<Parameters<typeof encodePacket>[0]>) =>
  withChecksum({
    flag: p[1] as 0 | 1,
    keyword: keyOf(p),
    sid: SID,
    data: p.subarray(16),
    ...fields,
  });
/** A copy of packet `p` with its flag field set to any 16-bit value, checksum redone. */
function withFlag(p: Uint8Array, flag: number): Uint8Array {
  const copy = p.slice();
  new DataView(copy.buffer).setUint16(0, flag);
  new DataView(copy.buffer).setUint16(2, packetChecksum(copy));
  return copy;
}
const MATCH = "DECRYPTED DATA MATCH";
const STORED = " & YOUR POINTS ARE REGISTERED ON DATABASE";

Deno.test("serveGrading() costs a reply-side header slip the 10 header points only, and judges the data", async () => {
  await using store = await ScoreStore.open(":memory:");
  await using server = serveGrading({
    hostname: "127.0.0.1",
    timeoutMs: TIMEOUT,
    drainMs: DRAIN,
    store,
    log: () => {},
  });
  const flip = (at: number) => (packet: Uint8Array) => packet.map((b, i) => (i === at ? b ^ 1 : b));
  const slip = (text: string) => `${MATCH}; REPLY HEADER ERROR (-10): ${text}`;
  const cases: [string, (packet: Uint8Array, index: number) => Uint8Array, RegExp][] = [
    [
      "wrong keyword in every packet",
      (p) => rebuilt(p, { keyword: "ZZZZ" }),
      /^Reply packet 1: keyword 'ZZZZ', expected the key '[a-z]{4}' \(and 2 more\)$/,
    ],
    [
      "checksum field off by one bit",
      (p, i) => (i === 2 ? flip(3)(p) : p),
      /^Reply packet 2: bad checksum: field 0x[0-9a-f]{4}, expected 0x[0-9a-f]{4} \(or 0x[0-9a-f]{4} in RFC 1071 byte order\)$/,
    ],
    [
      "wrong sid",
      (p, i) => (i === 3 ? rebuilt(p, { sid: 20201111 }) : p),
      /^Reply packet 3: sid 20201111, expected 20200000$/,
    ],
    [
      "flag 2 on the last packet",
      (p, i) => (i === 3 ? withFlag(p, 2) : p),
      /^Reply packet 3: flag 2, expected 0 or 1 \(taken as the last packet\)$/,
    ],
    [
      "flag 2 for flag 0 on the first packets",
      (p, i) => (i < 3 ? withFlag(p, 2) : p),
      /^Reply packet 1: flag 2, expected 0 or 1 \(taken as flag 0: the text is not complete\) \(and 1 more\)$/,
    ],
  ];
  for (const [name, editReply, detail] of cases) {
    const run = await runPeer(server.port, { editReply });
    assert.equal(run.result?.keyword, "FAIL", name);
    assert.equal(run.result?.sid, 40, `${name}: ${run.message}`);
    assert.ok(run.message.startsWith(slip("")), `${name}: ${run.message}`);
    const [seen] = run.message.slice(slip("").length, -STORED.length).split("; LIKELY CAUSE: ");
    assert.match(seen!, detail, name);
    assert.ok(run.message.endsWith(STORED), name);
  }
  assert.equal(await store.best(SID, 1), 40);
});

Deno.test("serveGrading() judges a reply cut short on the bytes that arrived, keeping the header points", async () => {
  await using store = await ScoreStore.open(":memory:");
  const lines: string[] = [];
  const server = serveGrading({
    hostname: "127.0.0.1",
    timeoutMs: TIMEOUT,
    drainMs: DRAIN,
    store,
    log: (l) => lines.push(l),
  });
  const ENDED =
    "REPLY ENDED BEFORE THE LAST PACKET: reply ends at byte 9984, expected 25000 bytes; " +
    "the last packet starts at byte 19968";
  const closed = await runPeer(server.port, { closeAfterReplies: 1 });
  assert.equal(closed.result, null);
  const badLength = await runPeer(server.port, {
    editReply: (p, i) => (i === 2 ? p.map((b, j) => (j === 12 ? 0x7f : b)) : p),
  });
  assert.equal(badLength.result?.sid, 10);
  assert.equal(
    badLength.message,
    `${ENDED}; Reply packet 2: Invalid header: length 2130716432 exceeds 10000${STORED}`,
  );
  const early = await runPeer(server.port, {
    editReply: (p, index) => (index === 1 ? rebuilt(p, { flag: 1 }) : p),
  });
  assert.equal(early.result?.sid, 10);
  assert.equal(
    early.message,
    `${ENDED}; LIKELY CAUSE: reply packet 1 carried flag 1 (the last) after 9984 of the 25000 ` +
      `bytes, so the server stopped reading${STORED}`,
  );
  await server.close({ force: false });
  assert.ok(
    lines.some((l) =>
      l.includes(
        `sbmt: 10/50 FAIL (best 10): ${ENDED}; Connection closed after 1 reply packets, before flag 1`,
      )
    ),
    lines.join("\n"),
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
    "REPLY ENDED BEFORE THE LAST PACKET: reply ends at byte 0, expected 25000 bytes; " +
      "the last packet starts at byte 19968; " +
      `Reply packet 1: Timed out after ${TIMEOUT} ms waiting for the client's reply` +
      " (test run with keyword 'test': not stored)",
  );
});

Deno.test("serveGrading() ends a reply that outlasts the session limit", async () => {
  await using server = serveGrading({
    hostname: "127.0.0.1",
    replyLimitMs: 1,
    drainMs: DRAIN,
    log: () => {},
  });
  const run = await runPeer(server.port, {
    keyword: "test",
    editReply: (p) => {
      const until = Date.now() + 5; // make the deadline certain to pass
      while (Date.now() < until) { /* busy wait */ }
      return p;
    },
  });
  assert.equal(run.result?.keyword, "FAIL");
  assert.match(run.message, /; Reply not finished within the session limit of 1 ms/);
});

Deno.test("serveGrading() answers a session cut off by shutdown with a FAIL result and stores nothing", async () => {
  await using store = await ScoreStore.open(":memory:");
  const lines: string[] = [];
  const server = serveGrading({ hostname: "127.0.0.1", store, log: (l) => lines.push(l) });
  using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  using idle = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await writeAll(
    conn,
    withChecksum({ flag: 1, keyword: "sbmt", sid: SID, data: new Uint8Array() }),
  );
  const reader = new FrameReader(conn.readable);
  assert.equal((await reader.readPacket())?.flag, 0); // the server is now waiting for a reply
  // The idle session has not sent its header; the other one is mid-reply.
  await server.close({ graceMs: 0, goodbyeMs: 10_000 });
  for (
    const packet of [await readResult(reader), await readResult(new FrameReader(idle.readable))]
  ) {
    assert.equal(packet?.keyword, "FAIL");
    assert.equal(packet?.sid, 0);
    assert.match(
      new TextDecoder().decode(packet?.data),
      /^SERVER SHUTTING DOWN: your session was cut before it was graded \(.*\); nothing was stored/,
    );
  }
  assert.deepEqual(await store.rows(), []);
  assert.equal(lines.length, 2);
  for (const line of lines) {
    assert.match(line, /0\/50 FAIL: SERVER SHUTTING DOWN: .*nothing was stored/);
  }
});

/** The result packet (GOOD or FAIL), skipping the plaintext packets. */
async function readResult(reader: FrameReader) {
  for (;;) {
    const packet = await reader.readPacket();
    if (packet === null || packet.keyword === "FAIL" || packet.keyword === "GOOD") return packet;
  }
}

Deno.test("gradeConnection() says how many of the 16 header bytes arrived before its time-out", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  using client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  using server = await listener.accept();
  const header = withChecksum({ flag: 1, keyword: "sbmt", sid: SID, data: new Uint8Array() });
  await writeAll(client, header.subarray(0, 13));
  const outcome = await gradeConnection(server, { timeoutMs: 100, drainMs: 0 }, () => {});
  assert.match(
    outcome.message,
    /^Timed out after 100 ms waiting for a packet header \(13 of its 16 bytes had arrived\)/,
  );
});
