import assert from "node:assert/strict";
import { serveTcp } from "../../../lib/net/listener.ts";
import { runDecryptClient } from "../../../lib/task1/client/decrypt_client.ts";
import { serveGrading } from "../../../lib/task1/grading/grading_server.ts";
import type { GradingOutcome } from "../../../lib/task1/grading/grading_outcome.ts";
import { TASK1_MISTAKES } from "../../../lib/task1/protocol/mistakes.ts";
import { runPeer } from "../../helpers/task1_peer.ts";
import {
  dataOnly,
  encrypted,
  fieldNotZeroed,
  header,
  headerOnly,
  keyShifted,
  littleEndian,
  notComplemented,
  notFolded,
  rebuilt,
  runGatherer,
  sealed,
  SID,
} from "../../helpers/task1_mistakes.ts";
import { testServer } from "../../helpers/task2_peer.ts";
import { setChecksum } from "../../helpers/task1_mistakes.ts";

/** A grading server that hands each outcome to the test. */
function grader(drainMs = 2000) {
  const outcomes: GradingOutcome[] = [];
  const server = serveGrading({
    hostname: "127.0.0.1",
    timeoutMs: 5000,
    drainMs,
    log: () => {},
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  return { server, outcomes };
}

/** Asserts that `outcome` names `id` with a message matching `message`, and the client was told. */
function names(outcome: GradingOutcome, sent: string, id: string, message: RegExp): void {
  const found = outcome.diagnoses.find((d) => d.id === id);
  const all = outcome.diagnoses.map((d) => d.id).join(", ");
  assert.ok(found, `${id} not among [${all}]: ${outcome.message}`);
  assert.match(found.message, message);
  assert.ok(TASK1_MISTAKES.some((entry) => entry.id === id && entry.fix === found.fix));
  assert.ok(sent.includes(`LIKELY CAUSE: `), sent);
  assert.ok(sent.includes(found.message.slice(0, 40)), sent);
}

/** Sends one opening header (or any bytes) and returns the outcome and the message sent. */
async function opening(bytes: Uint8Array): Promise<[GradingOutcome, string]> {
  const { server, outcomes } = grader(100);
  await using _ = server;
  const run = await runPeer(server.port, { header: bytes });
  return [outcomes[0]!, run.message];
}

Deno.test("the grading server names a header checksum that was never complemented", async () => {
  const [outcome, sent] = await opening(notComplemented(header()));
  names(
    outcome,
    sent,
    "task1.checksum.not-complemented",
    /^the header: checksum field 0x[0-9a-f]{4} is the bitwise NOT of the right value/,
  );
  assert.equal(outcome.score, 0);
});

Deno.test("the grading server names header fields packed little-endian", async () => {
  const [flag, flagSent] = await opening(littleEndian(header(), 0, 2));
  names(flag, flagSent, "task1.header.flag-little-endian", /flag 1 packed little-endian/);
  const [sid, sidSent] = await opening(littleEndian(header(), 8, 12));
  names(
    sid,
    sidSent,
    "task1.header.sid-little-endian",
    /^sid 1077556225 is 20200000 with its bytes reversed/,
  );
  const [length, lengthSent] = await opening(littleEndian(header(), 12, 16));
  names(
    length,
    lengthSent,
    "task1.header.length-little-endian",
    /^length 268435456 is 16 with its bytes reversed/,
  );
});

Deno.test("the grading server names a length that leaves out the header, a keyword in capitals, a short id", async () => {
  const zero = header();
  zero[15] = 0;
  const [length, lengthSent] = await opening(sealed(zero));
  names(length, lengthSent, "task1.header.length-without-header", /^length 0 counts the data only/);
  const [upper, upperSent] = await opening(header("SBMT"));
  names(upper, upperSent, "task1.header.keyword-case", /^keyword 'SBMT' has capitals/);
  const [short, shortSent] = await opening(header("sbmt", 2020000));
  names(short, shortSent, "task1.header.sid-not-8-digits", /^sid 2020000 has 7 digits/);
});

/** Runs a per-packet client whose reply packets pass through `edit`; the outcome and message. */
async function replying(
  edit: (packet: Uint8Array, index: number) => Uint8Array,
  drainMs = 2000,
): Promise<[GradingOutcome, string]> {
  const { server, outcomes } = grader(drainMs);
  await using _ = server;
  const run = await runPeer(server.port, { editReply: edit, keyword: "test" });
  return [outcomes[0]!, run.message];
}

Deno.test("the grading server names each reply checksum mistake by its cause", async () => {
  const cases: [string, (p: Uint8Array) => Uint8Array, RegExp][] = [
    ["task1.checksum.not-complemented", notComplemented, /^reply packet 1: .* never complemented/],
    ["task1.checksum.carries-not-folded", notFolded, /carries not folded/],
    ["task1.checksum.header-only", headerOnly, /of the 16-byte header alone/],
    ["task1.checksum.data-only", dataOnly, /of the data alone/],
    ["task1.checksum.field-not-zeroed", fieldNotZeroed, /the checksum of a packet the server sent/],
  ];
  for (const [id, edit, message] of cases) {
    const [outcome, sent] = await replying(edit);
    names(outcome, sent, id, message);
    assert.equal(outcome.score, 40, `${id}: ${outcome.message}`);
  }
});

Deno.test("the grading server names a reply under the header's keyword, not the key", async () => {
  const [outcome, sent] = await replying((p) => rebuilt(p, { keyword: "test" }));
  names(
    outcome,
    sent,
    "task1.reply.wrong-keyword",
    /^reply packet 1 has keyword 'test', your header's keyword, not the key '[a-z]{4}'/,
  );
  assert.match(outcome.diagnoses[0]!.message, /\(and 2 more like it\)$/);
});

Deno.test("the grading server names reply fields packed little-endian", async () => {
  const [sid, sidSent] = await replying((p) => littleEndian(p, 8, 12));
  names(
    sid,
    sidSent,
    "task1.reply.sid-little-endian",
    /has sid 1077556225, which is 20200000 with its bytes reversed/,
  );
  const [length, lengthSent] = await replying((p, i) => (i === 2 ? littleEndian(p, 12, 16) : p));
  names(
    length,
    lengthSent,
    "task1.reply.length-little-endian",
    /^reply packet 2 says length 270991360, which is 10000 with its bytes reversed/,
  );
  const [flag, flagSent] = await replying((p, i) => (i === 3 ? littleEndian(p, 0, 2) : p));
  names(flag, flagSent, "task1.reply.flag-little-endian", /^reply packet 3 has flag 256/);
  assert.equal(flag.score, 40);
});

Deno.test("the grading server names reply packets sent back still encrypted", async () => {
  const [outcome, sent] = await replying((p, i) => (i >= 2 ? encrypted(p) : p));
  names(
    outcome,
    sent,
    "task1.reply.not-decrypted",
    /^reply packet\(s\) 2, 3 carry exactly the ciphertext/,
  );
  assert.equal(outcome.score, 35);
});

Deno.test("the grading server names a key that does not restart where the packet starts", async () => {
  const [outcome, sent] = await replying((p, i) => (i === 2 ? keyShifted(p, 1) : p));
  names(
    outcome,
    sent,
    "task1.reply.key-misaligned",
    /^reply packet 2 is decrypted with the key shifted by 1 byte/,
  );
});

Deno.test("the grading server gives both lengths when a short reply also differs", async () => {
  const [outcome, sent] = await replying((p, i) =>
    i === 1 ? rebuilt(p, { data: p.subarray(19) }) : p
  );
  names(
    outcome,
    sent,
    "task1.reply.length-differs",
    /^the reply carried 24997 data bytes in 3 packet\(s\); the text was 25000 bytes \(3 too few\)$/,
  );
  // The data is shifted by 19 bytes of random text, so it usually differs at
  // byte 0, and by chance (about 1 in 95) a little later.
  assert.match(outcome.message, /^LENGTH MISMATCH: first difference at byte \d+/);
});

Deno.test("the grading server names a reply length that leaves out the header", async () => {
  const [outcome, sent] = await replying((p) => {
    const copy = p.slice();
    new DataView(copy.buffer).setUint32(12, copy.length - 16);
    return sealed(copy);
  });
  names(
    outcome,
    sent,
    "task1.reply.length-without-header",
    /^reply packet 1 says length 9984, the size of its data alone/,
  );
});

Deno.test("the grading server names flag 1 set too early and a missing flag 1", async () => {
  const [early, earlySent] = await replying((p, i) => (i === 1 ? rebuilt(p, { flag: 1 }) : p));
  names(
    early,
    earlySent,
    "task1.reply.early-flag-1",
    /^reply packet 1 carried flag 1 \(the last\) after 9984 of/,
  );
  const [none, noneSent] = await replying((p, i) => (i === 3 ? rebuilt(p, { flag: 0 }) : p), 100);
  names(none, noneSent, "task1.reply.no-flag-1", /no reply packet carried flag 1/);
  assert.equal(none.score, 40);
});

Deno.test("the grading server names a reply packet over 10,000 bytes", async () => {
  const { server, outcomes } = grader(100);
  await using _ = server;
  const run = await runGatherer(server.port, (text, key) => {
    // One packet with the whole text: length 25016.
    const packet = new Uint8Array(16 + text.length);
    packet.set(text, 16);
    const view = new DataView(packet.buffer);
    view.setUint16(0, 1);
    packet.set(new TextEncoder().encode(key), 4);
    view.setUint32(8, SID);
    view.setUint32(12, packet.length);
    return setChecksum(packet, 0);
  });
  names(
    outcomes[0]!,
    run.message,
    "task1.reply.packet-too-long",
    /^reply packet 1 says length 25016, over the 10,000-byte limit/,
  );
});

Deno.test("the decryption client says in one line what a wrong server is", async () => {
  const lines: string[] = [];
  await using task2 = testServer(lines);
  await assert.rejects(
    runDecryptClient({ hostname: "127.0.0.1", port: task2.port, studentId: SID, timeoutMs: 2000 }),
    (error: Error) => {
      assert.match(
        error.message,
        /^Invalid header: flag \d+.*; LIKELY CAUSE: the server answered the header with text '[0-9a-f]{8}.*a Task 2 compute server/,
      );
      assert.ok(!error.message.includes("\n"));
      return true;
    },
  );
  await using http = serveTcp({ hostname: "127.0.0.1", port: 0 }, async (conn) => {
    await conn.read(new Uint8Array(64));
    await conn.write(
      new TextEncoder().encode("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
    );
  }, { log: () => {} });
  await assert.rejects(
    runDecryptClient({ hostname: "127.0.0.1", port: http.port, studentId: SID, timeoutMs: 2000 }),
    /LIKELY CAUSE: the server answered 'HTTP\/1\.1 400 Bad': an HTTP server, not a CS341 grading server$/,
  );
});

Deno.test("the grading server raises nothing for right clients, either reply style, either checksum order, any splitting", async () => {
  const { server, outcomes } = grader();
  await using _ = server;
  for (const style of ["per-packet", "rechunk"] as const) {
    const result = await runDecryptClient({
      hostname: "127.0.0.1",
      port: server.port,
      studentId: SID,
      keyword: "test",
      style,
    });
    assert.equal(result.score, 50);
  }
  const rfc = (p: Uint8Array) => setChecksum(p.slice(), (p[3]! << 8) | p[2]!); // the RFC 1071 byte order
  await runPeer(server.port, { header: rfc(header("test")), editReply: rfc });
  await runPeer(server.port, { keyword: "test", bytewise: true });
  assert.equal(outcomes.length, 4);
  for (const outcome of outcomes) {
    assert.deepEqual([outcome.score, outcome.diagnoses], [50, []], outcome.message);
    assert.ok(!outcome.message.includes("LIKELY CAUSE"), outcome.message);
  }
});

Deno.test("the grading server says under --trace that an RFC 1071 checksum order is accepted", async () => {
  const lines: string[] = [];
  const outcomes: GradingOutcome[] = [];
  await using server = serveGrading({
    hostname: "127.0.0.1",
    log: () => {},
    trace: (line) => lines.push(line),
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  const rfc = (p: Uint8Array) => setChecksum(p.slice(), (p[3]! << 8) | p[2]!);
  // A checksum whose two bytes are equal reads the same in both orders (about
  // 1 packet in 256), so only the others count as RFC order.
  let swapped = 0;
  const header1 = header("test");
  const editReply = (p: Uint8Array) => {
    if (p[2] !== p[3]) swapped++;
    return rfc(p);
  };
  await runPeer(server.port, { header: rfc(header1), editReply });
  assert.deepEqual([outcomes[0]!.score, outcomes[0]!.diagnoses], [50, []]);
  const said = lines.filter((line) => line.includes("RFC 1071 byte order, accepted"));
  const headerSwapped = header1[2] !== header1[3];
  assert.equal(said.length, Number(headerSwapped) + Number(swapped > 0), lines.join("\n"));
  if (headerSwapped) {
    assert.match(said[0]!, /the header: checksum in RFC 1071 byte order, accepted/);
  }
  if (swapped > 0) {
    assert.match(
      said.at(-1)!,
      new RegExp(`${swapped} reply packet\\(s\\): checksum in RFC 1071 byte order, accepted`),
    );
  }
  // A client in the course's order is not told anything.
  lines.length = 0;
  await runPeer(server.port, { keyword: "test" });
  assert.ok(!lines.some((line) => line.includes("RFC 1071 byte order, accepted")));
});
