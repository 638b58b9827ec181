import assert from "node:assert/strict";
import { connectTcp } from "../../lib/net/connect.ts";
import { serveTcp } from "../../lib/net/listener.ts";
import { PcapCapture } from "../../lib/net/pcap.ts";
import { writeAll } from "../../lib/net/write_all.ts";
import { serveCompute } from "../../lib/task2/server/compute_server.ts";
import { runTestClient } from "../../lib/task2/client/test_client.ts";
import { serveGrading } from "../../lib/task1/grading/grading_server.ts";
import { runDecryptClient } from "../../lib/task1/client/decrypt_client.ts";
import { parsePcap, pcapStreams } from "../helpers/pcap_reader.ts";

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const FIN = 0x01;

Deno.test("tapConnection() through connectTcp and serveTcp records both ways and the close, on each side", async () => {
  const serverCapture = new PcapCapture();
  const clientCapture = new PcapCapture();
  await using service = serveTcp({ hostname: "127.0.0.1" }, async (conn) => {
    const buffer = new Uint8Array(16);
    const n = await conn.read(buffer);
    await writeAll(conn, new TextEncoder().encode(`got ${n}`));
  }, { log: () => {}, capture: serverCapture });
  {
    using conn = await connectTcp("127.0.0.1", service.port, 5000, clientCapture);
    await writeAll(conn, new TextEncoder().encode("hello"));
    const reply = new Uint8Array(16);
    assert.equal(text(reply.subarray(0, (await conn.read(reply)) ?? 0)), "got 5");
  } // `using` closes it: the FIN is recorded too
  await service.close({ force: false });
  for (const capture of [clientCapture, serverCapture]) {
    const file = capture.toBytes();
    const streams = pcapStreams(file);
    const port = String(service.port);
    const toServer = [...streams].find(([key]) => key.endsWith(`>${port}`))?.[1];
    const toClient = [...streams].find(([key]) => key.startsWith(`${port}>`))?.[1];
    assert.equal(text(toServer), "hello");
    assert.equal(text(toClient), "got 5");
    assert.equal(streams.size, 2);
    assert.ok(parsePcap(file).some((segment) => segment.flags & FIN), "no FIN recorded");
  }
});

Deno.test("runDecryptClient() and serveGrading() with a capture record the same Task 1 exchange", async () => {
  const serverCapture = new PcapCapture();
  const clientCapture = new PcapCapture();
  await using server = serveGrading({
    hostname: "127.0.0.1",
    plaintextSize: 12_000,
    log: () => {},
    capture: serverCapture,
  });
  const result = await runDecryptClient({
    hostname: "127.0.0.1",
    port: server.port,
    studentId: 20200000,
    keyword: "test",
    capture: clientCapture,
  });
  assert.equal(result.score, 50);
  await server.close({ force: false });
  const fromClient = pcapStreams(clientCapture.toBytes());
  const fromServer = pcapStreams(serverCapture.toBytes());
  assert.deepEqual(fromClient, fromServer);
  const toServer = [...fromClient].find(([key]) => key.endsWith(`>${server.port}`))![1];
  // The request header first: flag 1, keyword "test", sid 20200000, length 16.
  assert.deepEqual([...toServer.subarray(0, 2)], [0, 1]);
  assert.equal(text(toServer.subarray(4, 8)), "test");
  assert.equal(new DataView(toServer.buffer, toServer.byteOffset).getUint32(8), 20200000);
  // Header + 12,000 bytes of reply data in two packets of the client's own.
  assert.equal(toServer.length, 16 + 2 * 16 + 12_000);
});

Deno.test("runTestClient() and serveCompute() with a capture record all four Task 2 connections", async () => {
  const serverCapture = new PcapCapture();
  const clientCapture = new PcapCapture();
  await using server = serveCompute({
    hostname: "127.0.0.1",
    gapMs: 5,
    log: () => {},
    capture: serverCapture,
    workers: 2, // a capture keeps the server on one thread
  });
  assert.equal(server.threads, 1);
  const report = await runTestClient({
    hostname: "127.0.0.1",
    port: server.port,
    pauseMs: 10,
    log: () => {},
    capture: clientCapture,
  });
  assert.equal(report.score.total, 40);
  await server.close({ force: false });
  assert.equal(clientCapture.connections, 4);
  assert.equal(serverCapture.connections, 4);
  const streams = pcapStreams(clientCapture.toBytes());
  assert.deepEqual(streams, pcapStreams(serverCapture.toBytes()));
  const names = [...streams]
    .filter(([key]) => key.endsWith(`>${server.port}`))
    .map(([, bytes]) => text(bytes).slice(0, 7))
    .sort();
  assert.deepEqual(names, ["Client1", "Client2", "Client3", "Client4"]);
});
