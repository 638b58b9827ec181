import assert from "node:assert/strict";
import { runDecryptClient } from "../../../lib/task1/client/decrypt_client.ts";
import { encodePacket } from "../../../lib/task1/protocol/packet.ts";
import { writeAll } from "../../helpers/sockets.ts";
import { fakeTask1Server as fakeServer } from "../../helpers/task1_peer.ts";

const SID = 20200000;
const text = (s: string) => new TextEncoder().encode(s);
const run = (port: number, timeoutMs = 2_000) =>
  runDecryptClient({ hostname: "127.0.0.1", port, studentId: SID, timeoutMs });

Deno.test("runDecryptClient() reports a result out of range as a protocol error, not a score", async () => {
  for (
    const [keyword, score, message] of [
      ["FAIL", 4294967295, "Result packet carries score 4294967295, expected 0 to 50"],
      ["FAIL", 51, "Result packet carries score 51, expected 0 to 50"],
      ["GOOD", 40, "Result packet says GOOD with score 40"],
      ["WHAT", 0, "Result packet has keyword 'WHAT', expected GOOD or FAIL"],
    ] as const
  ) {
    await using server = fakeServer(async (conn) => {
      await writeAll(conn, encodePacket({ flag: 1, keyword, sid: score, data: text("x") }));
    });
    await assert.rejects(run(server.port), { name: "ProtocolError", message });
  }
});

/** A server that sends flag-0 packets until the client goes, reading its replies. */
function endlessServer() {
  return fakeServer(async (conn, reader) => {
    const packet = encodePacket({
      flag: 0,
      keyword: "tree",
      sid: SID,
      data: new Uint8Array(9_984),
    });
    const drain = (async () => {
      try {
        while (await reader.readPacket() !== null) { /* replies */ }
      } catch { /* the client closed */ }
    })();
    try {
      for (;;) await writeAll(conn, packet);
    } catch { /* the client closed */ }
    await drain;
  });
}

Deno.test("runDecryptClient() stops a server that sends flag-0 packets forever at its caps", async () => {
  await using server = endlessServer();
  for (const style of ["per-packet", "rechunk"] as const) {
    await assert.rejects(
      runDecryptClient({
        hostname: "127.0.0.1",
        port: server.port,
        studentId: SID,
        maxPackets: 50,
        style,
      }),
      {
        name: "ProtocolError",
        message:
          /^Server sent 51 packets, 509184 data bytes, and no result; stopped at the limit of 50 packets/,
      },
    );
  }
  await assert.rejects(
    runDecryptClient({
      hostname: "127.0.0.1",
      port: server.port,
      studentId: SID,
      maxBytes: 100_000,
    }),
    { name: "ProtocolError", message: /^Server sent 11 packets, 109824 data bytes/ },
  );
});

Deno.test("runDecryptClient() gives up when the whole exchange outlasts its deadline", async () => {
  // One byte every 10 ms never trips the per-read limit.
  await using server = fakeServer(async (conn) => {
    const packet = encodePacket({
      flag: 0,
      keyword: "tree",
      sid: SID,
      data: new Uint8Array(9_984),
    });
    try {
      for (const byte of packet) {
        await conn.write(new Uint8Array([byte]));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } catch { /* the client closed */ }
  });
  await assert.rejects(
    runDecryptClient({
      hostname: "127.0.0.1",
      port: server.port,
      studentId: SID,
      timeoutMs: 1_000,
      sessionLimitMs: 150,
    }),
    { name: "TimeoutError", message: "Timed out after 150 ms waiting for the whole exchange" },
  );
});
