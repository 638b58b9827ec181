import assert from "node:assert/strict";
import { KEYWORDS } from "../../../lib/task2/server/request_reader.ts";
import { serveCompute } from "../../../lib/task2/server/compute_server.ts";
import {
  FILE_LENGTH_LIMIT,
  serveComputeSession,
} from "../../../lib/task2/server/compute_session.ts";
import { runTestClient } from "../../../lib/task2/client/test_client.ts";
import { factorial } from "../../../lib/task2/compute/compute.ts";
import { greeted, rawPeer, testServer, UUID1, waitFor } from "../../helpers/task2_peer.ts";

const server = testServer;

Deno.test("serveCompute() scores 40/40 against the test client on loopback", async () => {
  const lines: string[] = [];
  await using compute = server(lines, { once: true });
  const report = await runTestClient({
    hostname: "127.0.0.1",
    port: compute.port,
    pauseMs: 5,
    maxFileBytes: 200_000,
    log() {},
  });
  await compute.finished; // once: every client has sent COMPLETE
  assert.equal(report.score.total, 40);
  assert.deepEqual(report.clients.map((client) => client.uuid), [
    UUID1,
    "c5fdeac9dbd9322ca157a09ac7052824",
    "5d6dc07b61f93ad9b00e829ee52e6b92",
    "64b4bd84dd76328f93d50f0c2a1c8684",
  ]);
  assert.deepEqual(report.clients.flatMap((client) => client.warnings), []);
  assert.ok(lines.some((line) => /\] Client name is: Client3$/.test(line)));
  assert.equal(
    lines.filter((line) => /File request from client, words in file are \d+$/.test(line)).length,
    8,
  );
  assert.equal(lines.filter((line) => /Complete request from client/.test(line)).length, 4);
});

Deno.test("serveCompute() with pauses framing serves a test client that writes one byte at a time", async () => {
  await using compute = server([], { framing: "pauses" });
  const report = await runTestClient({
    hostname: "127.0.0.1",
    port: compute.port,
    clients: 2,
    pauseMs: 30,
    writeMode: "bytewise",
    maxFileBytes: 300,
    log() {},
  });
  assert.equal(report.score.total, 40, JSON.stringify(report.clients));
  // The names came whole: every UUID is uuid3 of the client's name.
  assert.deepEqual(report.clients.flatMap((client) => client.warnings), []);
});

Deno.test("serveCompute() reads keywords and numbers sent one byte per write", async () => {
  await using compute = server([]);
  using peer = await greeted(compute.port);
  for (const byte of "FIBONACCI12") await peer.send(byte);
  assert.equal(await peer.reply(), `144_${UUID1}`);
  for (const byte of "FILE3") await peer.send(byte);
  await new Promise((resolve) => setTimeout(resolve, 40)); // the gap ends the length
  await peer.send("a b");
  assert.equal(await peer.reply(), `2_${UUID1}`);
});

Deno.test("serveCompute() serves a test client that sends keyword and number in one write", async () => {
  await using compute = server([]);
  const report = await runTestClient({
    hostname: "127.0.0.1",
    port: compute.port,
    clients: 2,
    pauseMs: 5,
    writeMode: "coalesced",
    maxFileBytes: 5000,
    log() {},
  });
  assert.equal(report.score.total, 40, JSON.stringify(report.clients));
});

Deno.test("serveCompute() answers a whole conversation sent in one write, in any case", async () => {
  await using compute = server([]);
  using peer = await greeted(compute.port);
  await peer.send("fibonacci 10\nFactorial 0\nword_count 12\nhello world\nFILE0");
  assert.equal(await peer.reply(), `55_${UUID1}`);
  assert.equal(await peer.reply(), `1_${UUID1}`);
  assert.equal(await peer.reply(), `2_${UUID1}`);
  assert.equal(await peer.reply(), `0_${UUID1}`);
  await peer.send("COMPLETE");
  assert.equal(await peer.rest(), "");
});

Deno.test("serveCompute() trims a netcat user's newline from the name", async () => {
  await using compute = server([]);
  using peer = await rawPeer(compute.port);
  await peer.send("Client1\n");
  assert.equal(await peer.exactly(32), UUID1);
});

Deno.test("serveCompute() answers a client while another one is stuck mid-body", async () => {
  await using compute = server([]);
  using slow = await greeted(compute.port);
  await slow.send("FILE 9");
  await slow.send("one ");
  using fast = await greeted(compute.port);
  await fast.send("FACTORIAL 5");
  assert.equal(await fast.reply(), `120_${UUID1}`);
  await slow.send("two ");
  await slow.send("3");
  assert.equal(await slow.reply(), `3_${UUID1}`);
});

Deno.test("serveCompute() replies ERROR to an unknown keyword and keeps the connection", async () => {
  const lines: string[] = [];
  await using compute = server(lines);
  using peer = await greeted(compute.port);
  await peer.send("HELLO there");
  const expected = `Unknown request 'HELLO', expected ${KEYWORDS.join(", ")}`;
  assert.equal(await peer.reply(), `ERROR ${expected}_${UUID1}`);
  assert.ok(lines.some((line) => line.endsWith(`Bad request: ${expected}`)));
  await peer.send("FIBONACCI 7");
  assert.equal(await peer.reply(), `13_${UUID1}`);
});

Deno.test("serveCompute() replies ERROR to non-numeric, negative and too large n", async () => {
  await using compute = server([]);
  using peer = await greeted(compute.port);
  const cases = [
    ["FIBONACCI abc", "FIBONACCI n must be a decimal number, got 'abc'"],
    ["FACTORIAL -3", "FACTORIAL n must not be negative, got '-3'"],
    ["FIBONACCI 10000001", "FIBONACCI n must be at most 10000000, got 10000001"],
    ["FACTORIAL 1000001", "FACTORIAL n must be at most 1000000, got 1000001"],
    ["FIBONACCI 99999999999999999", "FIBONACCI n must have at most 15 digits, got more"],
  ];
  for (const [request, message] of cases) {
    await peer.send(request!);
    assert.equal(await peer.reply(), `ERROR ${message}_${UUID1}`);
  }
  await peer.send("FACTORIAL 3");
  assert.equal(await peer.reply(), `6_${UUID1}`);
});

Deno.test("serveCompute() replies ERROR to a FILE length over the limit and drops the body", async () => {
  await using compute = server([]);
  using peer = await greeted(compute.port);
  await peer.send(`FILE ${FILE_LENGTH_LIMIT + 1} a b c`);
  assert.equal(
    await peer.reply(),
    `ERROR FILE length must be at most ${FILE_LENGTH_LIMIT} bytes (64 MiB), got ${
      FILE_LENGTH_LIMIT + 1
    }_${UUID1}`,
  );
  await peer.send("FILE 3");
  await peer.send("a b");
  assert.equal(await peer.reply(), `2_${UUID1}`);
});

Deno.test("serveCompute() times out a FILE body that never comes, replies and closes", async () => {
  const lines: string[] = [];
  await using compute = server(lines, { timeoutMs: 150 });
  using peer = await greeted(compute.port);
  await peer.send("FILE 10");
  await peer.send("abc");
  const message = "Timed out after 150 ms waiting for the FILE body (3 of 10 bytes received)";
  assert.equal(await peer.rest(), `ERROR ${message}_${UUID1}`);
  assert.ok(lines.some((line) => line.endsWith(`${message}; closing connection`)));
});

Deno.test("serveCompute() times out an idle connection, before and after the name", async () => {
  await using compute = server([], { timeoutMs: 100 });
  using silent = await rawPeer(compute.port);
  assert.equal(
    await silent.rest(),
    "ERROR Timed out after 100 ms waiting for the client's name",
  );
  using idle = await greeted(compute.port);
  assert.equal(
    await idle.rest(),
    `ERROR Timed out after 100 ms waiting for a request_${UUID1}`,
  );
});

Deno.test("serveCompute() logs a connection that ends mid-body and keeps serving", async () => {
  const lines: string[] = [];
  await using compute = server(lines);
  {
    using peer = await greeted(compute.port);
    await peer.send("FILE 10");
    await peer.send("abc");
  }
  const logged = "Connection closed after 3 of 10 bytes of the FILE body";
  await waitFor(() => lines.some((line) => line.endsWith(logged)), "the log line");
  using next = await greeted(compute.port);
  await next.send("FIBONACCI 1");
  assert.equal(await next.reply(), `1_${UUID1}`);
});

Deno.test("serveCompute() closes on COMPLETE without a reply", async () => {
  const lines: string[] = [];
  await using compute = server(lines);
  using peer = await greeted(compute.port);
  await peer.send("complete");
  assert.equal(await peer.rest(), "");
  assert.ok(lines.at(-1)!.endsWith("Complete request from client, closing connection"));
});

Deno.test("serveCompute() with once stops after the batch has sent COMPLETE", async () => {
  const lines: string[] = [];
  await using compute = server(lines, { once: true });
  using first = await greeted(compute.port);
  using second = await greeted(compute.port);
  await first.send("COMPLETE");
  assert.equal(await first.rest(), "");
  // The server still serves the rest of the batch.
  await second.send("FIBONACCI 2");
  assert.equal(await second.reply(), `1_${UUID1}`);
  await second.send("COMPLETE");
  await compute.finished;
  assert.match(lines.at(-1)!, /All 2 client\(s\) of the batch sent COMPLETE; stopping/);
  // The listener is closed: a connection is refused or, when a test running
  // alongside has since been given the same port, reaches that other server;
  // this one would log the name before it sent the UUID.
  const logged = lines.length;
  try {
    using late = await rawPeer(compute.port);
    await late.send("Client1");
    await late.exactly(32, 5000).catch(() => "");
  } catch (error) {
    assert.ok(error instanceof Deno.errors.ConnectionRefused, String(error));
  }
  assert.equal(lines.length, logged, "the server took no connection once stopped");
});

Deno.test("serveCompute() listens on IPv4 and IPv6 by default", async () => {
  await using compute = serveCompute({ log() {} });
  for (const hostname of ["127.0.0.1", "::1"]) {
    using peer = await rawPeer(compute.port, hostname);
    await peer.send("Client1");
    assert.equal(await peer.exactly(32), UUID1);
  }
});

Deno.test("serveCompute() computes a large value in its worker pool while it serves another client", async () => {
  const lines: string[] = [];
  await using srv = server(lines);
  using big = await rawPeer(srv.port);
  using small = await rawPeer(srv.port);
  await big.send("Client1");
  assert.equal(await big.exactly(32), UUID1);
  await small.send("Client2");
  await small.exactly(32);
  // 60000! has 260,000+ digits: far past what is computed inline.
  await big.send("FACTORIAL");
  await big.send("60000");
  const bigReply = big.reply();
  let bigDone = false;
  void bigReply.then(() => (bigDone = true), () => {});
  await small.send("FIBONACCI");
  await small.send("7");
  assert.equal(await small.reply(), "13_c5fdeac9dbd9322ca157a09ac7052824");
  assert.equal(bigDone, false, "the small request waited for the large one");
  const answer = await bigReply;
  const expected = factorial(60000).toString();
  assert.equal(answer.length, expected.length + 33);
  assert.ok(answer.startsWith(expected.slice(0, 64)) && answer.endsWith(`_${UUID1}`));
  assert.equal(answer.slice(0, -33), expected);
});

Deno.test("serveCompute() refuses n above its configured limits with an ERROR", async () => {
  const lines: string[] = [];
  await using srv = server(lines, { fibonacciLimit: 10, factorialLimit: 5 });
  using peer = await rawPeer(srv.port);
  await peer.send("Client1");
  await peer.exactly(32);
  await peer.send("FIBONACCI");
  await peer.send("11");
  assert.equal(await peer.reply(), `ERROR FIBONACCI n must be at most 10, got 11_${UUID1}`);
  await peer.send("FACTORIAL");
  await peer.send("5");
  assert.equal(await peer.reply(), `120_${UUID1}`);
});

Deno.test("serveComputeSession() rejects bad options instead of throwing, and sends nothing", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  using client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  using conn = await listener.accept();
  let session: Promise<unknown> | undefined;
  assert.doesNotThrow(() => {
    session = serveComputeSession(conn, { gapMs: 100, timeoutMs: 50 }, () => {});
  });
  await assert.rejects(session!, RangeError);
  conn.close();
  assert.equal(await client.read(new Uint8Array(8)), null);
});
