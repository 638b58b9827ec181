import assert from "node:assert/strict";
import { runDecryptClient } from "../../../lib/task1/client/decrypt_client.ts";
import { encodePacket } from "../../../lib/task1/protocol/packet.ts";
import { xorCipher } from "../../../lib/task1/protocol/xor.ts";
import { freePort } from "../../helpers/processes.ts";
import { writeAll, writeBytewise } from "../../helpers/sockets.ts";
import { fakeTask1Server } from "../../helpers/task1_peer.ts";

const SID = 20200000;
const text = (s: string) => new TextEncoder().encode(s);

const fakeServer = fakeTask1Server;

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
    message: "Timed out after 50 ms waiting for a packet header; LIKELY CAUSE: the server " +
      "accepted the connection but sent nothing within 50 ms of the header: not a CS341 grading " +
      "server, or a stuck one",
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

Deno.test("runDecryptClient() re-chunks as data arrives, before the last packet", async () => {
  const replies: string[] = [];
  await using server = fakeServer(async (conn, reader) => {
    const send = (flag: 0 | 1, size: number, fill: number) =>
      writeAll(
        conn,
        encodePacket({
          flag,
          keyword: "tree",
          sid: SID,
          data: xorCipher(new Uint8Array(size).fill(fill), "tree"),
        }),
      );
    await send(0, 9_000, 0x61);
    await send(0, 9_000, 0x62);
    // The client must answer before it sees the last packet.
    const first = await reader.readPacket();
    replies.push(`${first?.flag}/${first?.data.length}`);
    await send(1, 5_000, 0x63);
    for (let last = 0; last !== 1;) {
      const reply = await reader.readPacket();
      replies.push(`${reply?.flag}/${reply?.data.length}`);
      last = reply?.flag ?? 1;
    }
    await writeAll(conn, encodePacket({ flag: 1, keyword: "GOOD", sid: 50, data: text("OK") }));
  });
  const result = await runDecryptClient({
    hostname: "127.0.0.1",
    port: server.port,
    studentId: SID,
    style: "rechunk",
    timeoutMs: 2_000,
  });
  assert.equal(result.bytes, 23_000);
  assert.deepEqual(replies, ["0/9984", "0/9984", "1/3032"]);
});

Deno.test("runDecryptClient() traces every packet both ways, escaped", async () => {
  const trace: string[] = [];
  await using server = fakeServer(async (conn, reader) => {
    await writeAll(
      conn,
      encodePacket({ flag: 1, keyword: "tree", sid: SID, data: xorCipher(text("hi\x1b"), "tree") }),
    );
    await reader.readPacket();
    await writeAll(conn, encodePacket({ flag: 1, keyword: "GOOD", sid: 50, data: text("OK") }));
  });
  await runDecryptClient({
    hostname: "127.0.0.1",
    port: server.port,
    studentId: SID,
    trace: (l) => trace.push(l),
  });
  assert.equal(trace.length, 4);
  assert.match(
    trace[0]!,
    /^-> flag 1, checksum 0xa3e3 \(0xe3a3 swapped; expected 0xa3e3, or 0xe3a3 in RFC 1071 order: ok\), keyword 'sbmt', sid 20200000, length 16/,
  );
  assert.match(
    trace[1]!,
    /^<- flag 1, .*keyword 'tree', sid 20200000, length 19, data 1c1b7e \|\\x1c\\x1b~\|$/,
  );
  assert.match(trace[2]!, /^-> flag 1, .*length 19, data 68691b \|hi\\x1b\|$/);
  assert.match(trace[3]!, /^<- flag 1, .*keyword 'GOOD', sid 50, length 18, data 4f4b \|OK\|$/);
});
