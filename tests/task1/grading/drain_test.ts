import assert from "node:assert/strict";
import { FrameReader } from "../../../lib/task1/protocol/frame_reader.ts";
import { serveGrading } from "../../../lib/task1/grading/grading_server.ts";
import { encodePacket } from "../../../lib/task1/protocol/packet.ts";
import type { ScoreStore } from "../../../lib/scores/score_store.ts";
import { writeAll } from "../../helpers/sockets.ts";

const SID = 20200000;
const RUNS = 20;

/**
 * A client that never reads until it has written everything: its header,
 * then `packets`, then it reads every packet up to the result.
 */
async function writeThenRead(port: number, header: Uint8Array, packets: Uint8Array[]) {
  using conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await writeAll(conn, header);
  for (const packet of packets) await writeAll(conn, packet);
  const reader = new FrameReader(conn.readable, { timeoutMs: 5_000 });
  for (;;) {
    const packet = await reader.readPacket();
    if (packet === null || /^[A-Z]{4}$/.test(packet.keyword)) return packet;
  }
}

const lone = (keyword: string) =>
  encodePacket({ flag: 1, keyword, sid: SID, data: new Uint8Array() });
const filler = (flag: 0 | 1, keyword = "zzzz", size = 9_984) =>
  encodePacket({ flag, keyword, sid: SID, data: new Uint8Array(size).fill(0x41) });

Deno.test("serveGrading() answers a client that keeps sending after a wrong reply keyword and reads only at the end", async () => {
  await using server = serveGrading({ hostname: "127.0.0.1", drainMs: 100, log: () => {} });
  for (let run = 0; run < RUNS; run++) {
    // The client cannot know the key: every reply packet carries a wrong one.
    const replies = [filler(0), filler(0), filler(1, "zzzz", 25_000 - 2 * 9_984)];
    const result = await writeThenRead(server.port, lone("test"), replies);
    assert.equal(result?.keyword, "FAIL", `run ${run}`);
    assert.equal(result?.sid, 25, `run ${run}`); // received 10 + length 15, no header, no content
  }
});

Deno.test("serveGrading() reads a reply that grows too long to its last packet before it answers", async () => {
  await using server = serveGrading({ hostname: "127.0.0.1", drainMs: 2_000, log: () => {} });
  // Far more than socket buffers hold: without draining, the client's
  // writes would block, then fail when the server closes.
  const replies = [...Array.from({ length: 800 }, () => filler(0)), filler(1)];
  for (let run = 0; run < RUNS; run++) {
    const result = await writeThenRead(server.port, lone("test"), replies);
    assert.equal(result?.keyword, "FAIL", `run ${run}`);
    assert.match(new TextDecoder().decode(result?.data), /; Reply too long: /);
  }
});

/** Runs `RUNS` clients at once: a client that never closes costs a drain time each. */
const runs = <T>(one: (run: number) => Promise<T>) =>
  Promise.all(Array.from({ length: RUNS }, (_, run) => one(run)));

Deno.test("serveGrading() drains after a reply packet with a broken length, then answers", async () => {
  await using server = serveGrading({ hostname: "127.0.0.1", drainMs: 1_000, log: () => {} });
  const broken = filler(0);
  broken[12] = 0x7f; // length 2 GB: the framing is lost
  await runs(async (run) => {
    const replies = [filler(0), broken, ...Array.from({ length: 30 }, () => filler(0)), filler(1)];
    const result = await writeThenRead(server.port, lone("test"), replies);
    assert.equal(result?.keyword, "FAIL", `run ${run}`);
    assert.match(new TextDecoder().decode(result?.data), /Reply packet 2: Invalid header: length/);
  });
});

Deno.test("serveGrading() drains after a bad header followed by more data, then answers", async () => {
  await using server = serveGrading({ hostname: "127.0.0.1", drainMs: 1_000, log: () => {} });
  const garbage = new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n".repeat(2_000));
  await runs(async (run) => {
    const result = await writeThenRead(server.port, garbage.subarray(0, 16), [garbage]);
    assert.equal(result?.keyword, "FAIL", `run ${run}`);
    assert.equal(result?.sid, 0);
    // A sane-length header with flag 0 and more packets behind it.
    const flagZero = encodePacket({ flag: 0, keyword: "test", sid: SID, data: new Uint8Array() });
    const more = await writeThenRead(server.port, flagZero, [filler(0), filler(0), filler(1)]);
    assert.match(new TextDecoder().decode(more?.data), /^Invalid header: flag 0/);
  });
});

Deno.test("serveGrading() sends the result only once an asynchronous store has settled", async () => {
  const events: string[] = [];
  const slow = {
    record: async (_sid: number, _task: number, score: number) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      events.push("stored");
      return { best: score, improved: true };
    },
  } as unknown as ScoreStore;
  const failing = {
    record: () => Promise.reject(new Error("disk I/O error")),
  } as unknown as ScoreStore;
  for (
    const [store, ending] of [[slow, "REGISTERED ON DATABASE"], [
      failing,
      "NOT STORED: disk I/O error",
    ]] as const
  ) {
    await using server = serveGrading({
      hostname: "127.0.0.1",
      store,
      timeoutMs: 50,
      drainMs: 50,
      log: () => {},
    });
    const result = await writeThenRead(server.port, lone("sbmt"), []);
    events.push("answered");
    const message = new TextDecoder().decode(result?.data);
    assert.ok(message.endsWith(ending), message);
    assert.ok(!(store === failing && message.includes("REGISTERED")), message);
  }
  assert.deepEqual(events, ["stored", "answered", "answered"]);
});

Deno.test("serveGrading() traces every packet both ways when asked", async () => {
  const trace: string[] = [];
  await using server = serveGrading({
    hostname: "127.0.0.1",
    plaintextSize: 10,
    drainMs: 50,
    trace: (line) => trace.push(line),
    log: () => {},
  });
  await writeThenRead(server.port, lone("test"), [filler(1, "test")]);
  assert.match(
    trace[0]!,
    /^\[127\.0\.0\.1:\d+\] <- flag 1, checksum 0x[0-9a-f]{4} \(0x[0-9a-f]{4} swapped; expected 0x[0-9a-f]{4}, or 0x[0-9a-f]{4} in RFC 1071 order: ok\), keyword 'test', sid 20200000, length 16, data \(no bytes\)$/,
  );
  assert.match(
    trace[1]!,
    /-> flag 1, .*keyword '[a-z]{4}', sid 20200000, length 26, data [0-9a-f]{20} \|/,
  );
  assert.match(
    trace[2]!,
    /<- flag 1, .*length 10000, data 41414141414141414141414141414141 \|AAAAAAAAAAAAAAAA\| \+9968 bytes$/,
  );
  assert.match(trace[3]!, /-> flag 1, .*keyword 'FAIL', sid 10, length \d+, data /);
});
