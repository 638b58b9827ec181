import assert from "node:assert/strict";
import { type CaptureDirection, PCAP_SEGMENT_MAX, PcapCapture } from "../../lib/net/pcap.ts";
import { parsePcap } from "../helpers/pcap_reader.ts";

/** A small seeded generator, so a failing case can be replayed. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

Deno.test("PcapCapture.toBytes() renders a handshake, data with consecutive seq/ack, and a FIN close", () => {
  for (let seed = 1; seed <= 40; seed++) {
    const random = lcg(seed);
    const capture = new PcapCapture();
    const conn = capture.connection(40000, 5000);
    const sent: Record<CaptureDirection, number[]> = {
      "client-to-server": [],
      "server-to-client": [],
    };
    const chunks = Math.floor(random() * 12);
    for (let i = 0; i < chunks; i++) {
      const dir: CaptureDirection = random() < 0.5 ? "client-to-server" : "server-to-client";
      const big = random() < 0.1;
      const len = Math.floor(random() * (big ? 3 * PCAP_SEGMENT_MAX : 300));
      const chunk = Uint8Array.from({ length: len }, () => random() * 256);
      for (const b of chunk) sent[dir].push(b);
      conn.record(dir, chunk);
    }
    conn.close();
    const packets = parsePcap(capture.toBytes());
    assert.ok(packets.every((p) => p.ipOk), `seed ${seed}: IPv4 checksum`);
    assert.deepEqual(packets.slice(0, 3).map((p) => p.flags), [
      0x02,
      0x12,
      0x10,
    ]);
    assert.deepEqual(packets.slice(-3).map((p) => p.flags), [
      0x11,
      0x11,
      0x10,
    ]);
    // Replays TCP: every segment starts where its direction left off and
    // acknowledges everything the other side sent.
    const next = { 40000: packets[0]!.seq + 1, 5000: packets[1]!.seq + 1 };
    const got = { 40000: [] as number[], 5000: [] as number[] };
    for (const p of packets.slice(3, -3)) {
      const other = p.src === 40000 ? 5000 : 40000;
      assert.equal(p.dst, other);
      assert.equal(p.seq, next[p.src as 40000 | 5000], `seed ${seed}: seq`);
      assert.equal(p.ack, next[other], `seed ${seed}: ack`);
      assert.ok(p.payload.length > 0 && p.payload.length <= PCAP_SEGMENT_MAX);
      next[p.src as 40000 | 5000] += p.payload.length;
      for (const b of p.payload) got[p.src as 40000 | 5000].push(b);
    }
    assert.equal(packets.at(-3)!.seq, next[40000]);
    assert.equal(packets.at(-2)!.seq, next[5000]);
    assert.equal(packets.at(-2)!.ack, next[40000] + 1);
    assert.deepEqual(got[40000], sent["client-to-server"], `seed ${seed}`);
    assert.deepEqual(got[5000], sent["server-to-client"], `seed ${seed}`);
    assert.equal(capture.truncated, false);
  }
});

Deno.test("PcapCapture keeps at most maxBytes of payload over all connections and counts the rest", () => {
  for (let seed = 1; seed <= 30; seed++) {
    const random = lcg(seed);
    const maxBytes = Math.floor(random() * 2000);
    const capture = new PcapCapture({ maxBytes });
    let total = 0;
    for (let c = 0; c < 3; c++) {
      const conn = capture.connection(41000 + c, 6000);
      for (let i = 0; i < 5; i++) {
        const len = Math.floor(random() * 400);
        total += len;
        conn.record("client-to-server", new Uint8Array(len));
      }
      conn.close();
    }
    const payload = parsePcap(capture.toBytes())
      .reduce((n, p) => n + p.payload.length, 0);
    assert.equal(payload, Math.min(total, maxBytes), `seed ${seed}`);
    assert.equal(capture.recordedBytes, payload);
    assert.equal(capture.droppedBytes, total - payload);
    assert.equal(capture.truncated, total > maxBytes);
  }
});

Deno.test("CaptureConnection.record() after close() adds nothing", () => {
  const capture = new PcapCapture();
  const conn = capture.connection(40000, 5000);
  conn.close();
  const before = capture.toBytes().length;
  conn.record("server-to-client", new Uint8Array(10));
  conn.close();
  assert.equal(capture.toBytes().length, before);
  assert.equal(capture.recordedBytes, 0);
});
