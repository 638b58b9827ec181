import assert from "node:assert/strict";
import { runDecryptClient } from "./decrypt_client.ts";
import { FrameReader } from "./frame_reader.ts";
import { serveTcp } from "../net/listener.ts";
import { encodePacket } from "./packet.ts";
import { xorCipher } from "./xor.ts";
import { freePort } from "../../testing/processes.ts";
import { writeAll, writeBytewise } from "../../testing/sockets.ts";

const SID = 20200000;
const text = (s: string) => new TextEncoder().encode(s);

/** A fake server: reads the client's header, then runs `script`. */
function fakeServer(script: (conn: Deno.TcpConn, reader: FrameReader) => Promise<void>) {
  return serveTcp({ hostname: "127.0.0.1" }, async (conn) => {
    const reader = new FrameReader(conn.readable);
    await reader.readPacket(); // the client's header
    await script(conn, reader);
  }, { log: console.error });
}

const run = (port: number, timeoutMs = 2_000) =>
  runDecryptClient({ hostname: "127.0.0.1", port, studentId: SID, timeoutMs });

Deno.test("runDecryptClient() decrypts packets sent one byte at a time and coalesced", async () => {
  let replies = "";
  const seen: string[] = [];
  await using server = fakeServer(async (conn, reader) => {
    const packets = ["hello ", "wor", "ld"].map((plain, i) =>
      encodePacket({
        flag: i === 2 ? 1 : 0,
        keyword: "tree",
        sid: SID,
        data: xorCipher(text(plain), "tree"),
      })
    );
    await writeBytewise(conn, packets[0]!);
    await writeAll(conn, new Uint8Array([...packets[1]!, ...packets[2]!]));
    for (let i = 0; i < 3; i++) {
      const reply = await reader.readPacket();
      seen.push(`${reply?.keyword}/${reply?.flag}/${reply?.sid}`);
      replies += new TextDecoder().decode(reply?.data);
    }
    await writeAll(conn, encodePacket({ flag: 1, keyword: "GOOD", sid: 50, data: text("OK") }));
  });
  const result = await run(server.port);
  assert.deepEqual(result, {
    keyword: "GOOD",
    score: 50,
    message: "OK",
    key: "tree",
    packets: 3,
    bytes: 11,
  });
  assert.equal(replies, "hello world");
  assert.deepEqual(seen, [`tree/0/${SID}`, `tree/0/${SID}`, `tree/1/${SID}`]);
});

Deno.test("runDecryptClient() returns an error packet sent instead of data", async () => {
  await using server = fakeServer(async (conn) => {
    await writeAll(
      conn,
      encodePacket({ flag: 1, keyword: "FAIL", sid: 0, data: text("Invalid header") }),
    );
  });
  const result = await run(server.port);
  assert.deepEqual(result, {
    keyword: "FAIL",
    score: 0,
    message: "Invalid header",
    packets: 0,
    bytes: 0,
  });
});

Deno.test("runDecryptClient() rejects a server packet with a bad checksum", async () => {
  await using server = fakeServer(async (conn) => {
    const packet = encodePacket({ flag: 1, keyword: "tree", sid: SID, data: text("abc") });
    packet[16]! ^= 0x40;
    await writeAll(conn, packet);
  });
  await assert.rejects(run(server.port), {
    name: "ChecksumError",
    message: /^Bad checksum: field 0x/,
  });
});

Deno.test("runDecryptClient() rejects a server that closes before the result", async () => {
  await using server = fakeServer(async (conn) => {
    await writeAll(conn, encodePacket({ flag: 1, keyword: "tree", sid: SID, data: text("abc") }));
    conn.close();
  });
  await assert.rejects(run(server.port), {
    name: "TruncatedError",
    message: "Server closed the connection after 1 packets, before sending a result",
  });
});

Deno.test("runDecryptClient() rejects a server that closes inside a packet", async () => {
  await using server = fakeServer(async (conn) => {
    await writeAll(
      conn,
      encodePacket({ flag: 1, keyword: "tree", sid: SID, data: text("abc") }).subarray(0, 10),
    );
    conn.close();
  });
  await assert.rejects(run(server.port), {
    name: "TruncatedError",
    message: /after 10 of the 16 bytes/,
  });
});

Deno.test("runDecryptClient() rejects a key that changes between packets", async () => {
  await using server = fakeServer(async (conn, reader) => {
    await writeAll(conn, encodePacket({ flag: 0, keyword: "tree", sid: SID, data: text("abc") }));
    await reader.readPacket();
    await writeAll(conn, encodePacket({ flag: 1, keyword: "leaf", sid: SID, data: text("abc") }));
  });
  await assert.rejects(run(server.port), {
    name: "ProtocolError",
    message: "Server packet 2 has keyword 'leaf', but the key is 'tree'",
  });
});

Deno.test("runDecryptClient() times out on a silent server", async () => {
  // Silent until the client gives up and closes.
  await using server = fakeServer(async (_conn, reader) => {
    await reader.readPacket();
  });
  await assert.rejects(run(server.port, 50), {
    name: "TimeoutError",
    message: "Timed out after 50 ms waiting for a packet header",
  });
});

Deno.test("runDecryptClient() reports a refused connection", async () => {
  const port = freePort();
  await assert.rejects(run(port), {
    name: "ConnectionError",
    message: `Cannot connect to 127.0.0.1:${port}: nothing listens there ` +
      "(is the server running? a server bound to another address needs --host)",
  });
});

Deno.test("runDecryptClient() times out on a server that stops reading its replies", async () => {
  await using server = fakeServer(async (conn) => {
    const packet = encodePacket({
      flag: 0,
      keyword: "tree",
      sid: SID,
      data: new Uint8Array(9_984),
    });
    try {
      // Far more than socket buffers hold; the server never reads a reply.
      for (let i = 0; i < 2_000; i++) await writeAll(conn, packet);
    } catch {
      // The client gave up and closed.
    }
  });
  await assert.rejects(run(server.port, 300), {
    name: "TimeoutError",
    message: "Timed out after 300 ms waiting for the server to read a packet",
  });
});
