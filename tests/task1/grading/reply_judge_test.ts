import assert from "node:assert/strict";
import { packetChecksum } from "../../../lib/task1/protocol/checksum.ts";
import { encodePacket } from "../../../lib/task1/protocol/packet.ts";
import { ReplyJudge } from "../../../lib/task1/grading/reply_judge.ts";

const SID = 20200000;

/** The common slip: the course's little-endian sum with the carry folded once. */
function foldOnce(packet: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < packet.length; i += 2) {
    if (i !== 2) sum += packet[i]! + ((packet[i + 1] ?? 0) << 8);
  }
  sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

Deno.test("ReplyJudge gives 40 to a reply right but for a checksum that folds the carry once", () => {
  // Find a packet where one fold is not enough (3-5 % of random packets).
  for (let tries = 0;; tries++) {
    assert.ok(tries < 10_000, "no packet needing a second fold was found");
    const plain = crypto.getRandomValues(new Uint8Array(1_000)).map((b) => 0x20 + (b % 95));
    const packet = encodePacket({ flag: 1, keyword: "tree", sid: SID, data: plain });
    const slipped = foldOnce(packet);
    if (slipped === packetChecksum(packet)) continue;
    new DataView(packet.buffer).setUint16(2, slipped);
    const judge = new ReplyJudge(plain, "tree", SID);
    assert.equal(judge.take(packet), true);
    assert.deepEqual(judge.score(), {
      points: 40,
      text: "DECRYPTED DATA MATCH",
      items: { header: 0, received: 10, length: 15, data: 15 },
    });
    assert.equal(judge.formatOk, false);
    assert.match(judge.slip()!, /^Reply packet 1: bad checksum: field 0x[0-9a-f]{4}, expected /);
    return;
  }
});

Deno.test("ReplyJudge names the first slip, counts the rest, and still judges the data", () => {
  const plain = new TextEncoder().encode("abcdefgh");
  const judge = new ReplyJudge(plain, "tree", SID);
  const first = encodePacket({ flag: 0, keyword: "leaf", sid: SID, data: plain.subarray(0, 4) });
  const second = encodePacket({ flag: 1, keyword: "tree", sid: 1, data: plain.subarray(4) });
  assert.equal(judge.take(first), false);
  assert.equal(judge.take(second), true);
  assert.equal(
    judge.slip(),
    "Reply packet 1: keyword 'leaf', expected the key 'tree' (and 1 more)",
  );
  assert.equal(judge.score().points, 40);
  assert.equal(judge.packets, 2);
});

Deno.test("ReplyJudge escapes a keyword that is not text", () => {
  const judge = new ReplyJudge(new Uint8Array(), "tree", SID);
  const packet = encodePacket({ flag: 1, keyword: "tree", sid: SID, data: new Uint8Array() });
  packet.set([0x1b, 0x5b, 0x32, 0x4a], 4);
  judge.take(packet);
  assert.match(judge.slip()!, /^Reply packet 1: keyword '\\x1b\[2J', expected the key 'tree'/);
});

Deno.test("ReplyJudge.score() withholds the receive points from a reply that stops before the last packet", () => {
  const plain = new Uint8Array(25_000).fill(0x41);
  const judge = new ReplyJudge(plain, "tree", SID);
  judge.take(encodePacket({ flag: 1, keyword: "tree", sid: SID, data: plain.subarray(0, 9_984) }));
  assert.deepEqual(judge.score(), {
    points: 10, // the header item only
    text: "REPLY ENDED BEFORE THE LAST PACKET: reply ends at byte 9984, expected 25000 bytes; " +
      "the last packet starts at byte 19968",
    items: { header: 10, received: 0, length: 0, data: 0 },
  });
  assert.equal(judge.formatOk, true);
});

Deno.test("ReplyJudge.diagnoses() finds ciphertext sent back whatever the reply's packet sizes", () => {
  const plain = crypto.getRandomValues(new Uint8Array(25_000)).map((b) => 0x20 + (b % 95));
  const key = "tree";
  const keyBytes = new TextEncoder().encode(key);
  // What the server sent: the key restarts every 9,984 bytes (a multiple of 4).
  const cipher = plain.map((b, p) => b ^ keyBytes[(p % 9_984) % 4]!);
  const judge = (text: Uint8Array, size: number) => {
    const j = new ReplyJudge(plain, key, SID);
    for (let at = 0; at < text.length; at += size) {
      const end = Math.min(at + size, text.length);
      j.take(
        encodePacket({
          flag: end === text.length ? 1 : 0,
          keyword: key,
          sid: SID,
          data: text.subarray(at, end),
        }),
      );
    }
    return j;
  };
  for (const size of [999, 9_984, 4_001]) {
    const right = judge(plain, size);
    assert.deepEqual([right.score().points, right.diagnoses().list()], [50, []], `size ${size}`);
    const sentBack = judge(cipher, size);
    const found = sentBack.diagnoses().list().map((d) => d.id);
    assert.ok(found.includes("task1.reply.not-decrypted"), `size ${size}: ${found}`);
    assert.equal(sentBack.summary().encrypted.length, Math.ceil(25_000 / size));
  }
});
