import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { runDecryptClient } from "../../../lib/task1/client/decrypt_client.ts";
import { serveGrading } from "../../../lib/task1/grading/grading_server.ts";
import { encodePacket } from "../../../lib/task1/protocol/packet.ts";
import { ScoreStore } from "../../../lib/scores/score_store.ts";
import { runPeer } from "../../helpers/task1_peer.ts";

const SID = 20200000;

function startServer(options: Parameters<typeof serveGrading>[0] = {}) {
  const lines: string[] = [];
  const server = serveGrading({
    hostname: "127.0.0.1",
    log: (line) => lines.push(line),
    ...options,
  });
  return { server, lines };
}

Deno.test("serveGrading() gives 50 to the product client in both reply styles", async () => {
  await using store = await ScoreStore.open(":memory:");
  const { server, lines } = startServer({ store });
  await using _ = server;
  for (const style of ["per-packet", "rechunk"] as const) {
    const result = await runDecryptClient({
      hostname: "127.0.0.1",
      port: server.port,
      studentId: SID,
      style,
    });
    assert.deepEqual(
      {
        keyword: result.keyword,
        score: result.score,
        message: result.message,
        packets: result.packets,
      },
      {
        keyword: "GOOD",
        score: 50,
        message: "DECRYPTED DATA MATCH & YOUR POINTS ARE REGISTERED ON DATABASE",
        packets: 3,
      },
    );
    assert.match(result.key ?? "", /^[a-z]{4}$/);
  }
  assert.equal(await store.best(SID, 1), 50);
  assert.equal((await store.rows())[0]?.attempts, 2);
  await server.close();
  assert.equal(lines.length, 2);
  assert.match(
    lines[0]!,
    /^\[127\.0\.0\.1:\d+\] sid 20200000 sbmt: 50\/50 GOOD \(best 50\): DECRYPTED DATA MATCH/,
  );
});

Deno.test("serveGrading() sends packets of exactly 10000 bytes but the last", async () => {
  const { server } = startServer({ plaintextSize: 30_000 });
  await using _ = server;
  const run = await runPeer(server.port, { keyword: "test" });
  assert.deepEqual(run.dataPackets.map((p) => 16 + p.data.length), [10_000, 10_000, 10_000, 64]);
  assert.deepEqual(run.dataPackets.map((p) => p.flag), [0, 0, 0, 1]);
  assert.deepEqual(new Set(run.dataPackets.map((p) => p.sid)), new Set([SID]));
  // Decrypted with the key from offset 0 of each packet, every byte is printable ASCII.
  for (const packet of run.dataPackets) {
    let i = 0;
    const plain = packet.data.map((b) => b ^ packet.keyword.charCodeAt(i++ % 4));
    assert.ok(plain.every((b) => b >= 0x20 && b <= 0x7e));
  }
  assert.equal(run.result?.sid, 50);
});

Deno.test("serveGrading() handles a single-packet and an empty plaintext", async () => {
  for (const plaintextSize of [0, 1, 9_984]) {
    const { server } = startServer({ plaintextSize });
    await using _ = server;
    const run = await runPeer(server.port, { keyword: "test" });
    assert.equal(run.dataPackets.length, 1);
    assert.equal(run.result?.keyword, "GOOD");
  }
});

Deno.test("serveGrading() grades a peer that writes one byte at a time", async () => {
  const { server } = startServer({ plaintextSize: 12_000 });
  await using _ = server;
  const run = await runPeer(server.port, { bytewise: true, keyword: "test" });
  assert.equal(run.result?.keyword, "GOOD");
  assert.equal(run.result?.sid, 50);
});

Deno.test("serveGrading() gives FAIL and 35 for one corrupted byte, and stores it", async () => {
  await using store = await ScoreStore.open(":memory:");
  const { server } = startServer({ store });
  await using _ = server;
  const run = await runPeer(server.port, { corruptAt: 12_345 });
  assert.equal(run.result?.keyword, "FAIL");
  assert.equal(run.result?.sid, 35);
  assert.match(
    run.message,
    /^DECRYPTED DATA MISMATCH: first difference at byte 12345: got 0x[0-9a-f]{2}, expected 0x[0-9a-f]{2} & YOUR POINTS ARE REGISTERED ON DATABASE$/,
  );
  assert.equal(await store.best(SID, 1), 35);
});

Deno.test("serveGrading() scores a short reply 20 and says where it ends", async () => {
  const { server } = startServer();
  await using _ = server;
  const run = await runPeer(server.port, {
    keyword: "test",
    editReply: (packet, index) => {
      if (index !== 3) return packet;
      const shorter = encodePacket({
        flag: 1,
        keyword: String.fromCharCode(...packet.subarray(4, 8)),
        sid: SID,
        data: packet.subarray(16, 20),
      });
      return shorter;
    },
  });
  assert.equal(run.result?.sid, 20);
  assert.equal(
    run.message,
    "LENGTH MISMATCH: reply ends at byte 19972, expected 25000 bytes (test run with keyword 'test': not stored)",
  );
});

Deno.test("serveGrading() answers a connection over maxConnections with a FAIL busy packet and keeps serving", async () => {
  const lines: string[] = [];
  await using server = serveGrading({
    hostname: "127.0.0.1",
    maxConnections: 1,
    log: (line) => lines.push(line),
  });
  // The first connection holds the only place: it sends nothing yet.
  using holder = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  await waitUntil(() => server.active === 1);
  const refused = await runDecryptClient({
    hostname: "127.0.0.1",
    port: server.port,
    studentId: 20200000,
    keyword: "test",
  });
  assert.equal(refused.keyword, "FAIL");
  assert.equal(refused.score, 0);
  assert.match(refused.message, /^SERVER BUSY: 1 connections are being graded/);
  assert.ok(lines.some((line) => /Refused: 1 connections are open/.test(line)));
  holder.close();
  await waitUntil(() => server.active === 0);
  const served = await runDecryptClient({
    hostname: "127.0.0.1",
    port: server.port,
    studentId: 20200000,
    keyword: "test",
  });
  assert.equal(served.score, 50);
});

async function waitUntil(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ready(); i++) await sleep(10);
  assert.ok(ready(), "the condition never came true");
}
