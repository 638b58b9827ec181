import assert from "node:assert/strict";
import { ByteSource } from "../../../lib/net/byte_source.ts";
import { clientUuid } from "../../../lib/task2/protocol/client_uuid.ts";
import { factorial, fibonacci } from "../../../lib/task2/compute/compute.ts";
import { serveTcp } from "../../../lib/net/listener.ts";
import { RequestReader } from "../../../lib/task2/server/request_reader.ts";
import { runTestClient, type TestClientOptions } from "../../../lib/task2/client/test_client.ts";
import { WordCounter } from "../../../lib/task2/compute/word_count.ts";
import { writeAll } from "../../../lib/net/write_all.ts";
import { freePort } from "../../helpers/processes.ts";

/** How a fake server departs from the protocol. */
interface Faults {
  /** The UUID to send for `name`; default uuid3 as 32 hex digits. */
  uuid?: (name: string) => string;
  /** The UUID to end replies with; default the one sent. */
  replyUuid?: (uuid: string) => string;
  /** The answer to send instead of the right one, or `undefined` for none. */
  answer?: (name: string, keyword: string, right: string) => string | undefined;
  /** Hang up after reading the first request, instead of answering it. */
  hangUp?: boolean;
}

/** A compute server with injected faults, built from the same tokenizer. */
function fakeServer(faults: Faults) {
  const encoder = new TextEncoder();
  return serveTcp({ hostname: "127.0.0.1", port: 0 }, async (conn) => {
    const reader = new RequestReader(new ByteSource(conn.readable), { gapMs: 10, idleMs: 5000 });
    const name = new TextDecoder().decode((await reader.readName(256))!);
    const uuid = faults.uuid?.(name) ?? clientUuid(name);
    await writeAll(conn, encoder.encode(uuid));
    for (;;) {
      const keyword = await reader.readKeyword();
      if (keyword === null || keyword === "COMPLETE") return;
      const n = await reader.readNumber("n");
      let right: string;
      if (keyword === "FIBONACCI") right = fibonacci(n).toString();
      else if (keyword === "FACTORIAL") right = factorial(n).toString();
      else {
        const counter = new WordCounter();
        await reader.readBody(n, (chunk) => counter.push(chunk));
        right = String(counter.count);
      }
      if (faults.hangUp) return;
      const answer = faults.answer?.(name, keyword, right) ?? right;
      await writeAll(conn, encoder.encode(`${answer}_${faults.replyUuid?.(uuid) ?? uuid}`));
    }
  }, { log: console.error });
}

function options(port: number, extra: Partial<TestClientOptions> = {}): TestClientOptions {
  return {
    hostname: "127.0.0.1",
    port,
    pauseMs: 2,
    timeoutMs: 2000,
    barrierMs: 1000,
    log() {},
    ...extra,
  };
}

function dashed(hex: string): string {
  return hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
}

Deno.test("runTestClient() prints the course's lines for a correct server", async () => {
  await using server = fakeServer({});
  const lines: string[] = [];
  const report = await runTestClient(options(server.port, { log: (line) => lines.push(line) }));
  assert.equal(report.score.total, 40);
  assert.ok(lines.includes(`[Client1] Socket connected to 127.0.0.1:${server.port}`));
  assert.ok(lines.includes("[Client4] UUID: 64b4bd84dd76328f93d50f0c2a1c8684"));
  assert.equal(lines.filter((line) => line.endsWith(" Okay")).length, 24);
  assert.equal(lines.filter((line) => /^\[Client\d\] WORD_COUNT Okay$/.test(line)).length, 8);
});

Deno.test("runTestClient() accepts dashed UUIDs used in both places", async () => {
  await using server = fakeServer({ uuid: (name) => dashed(clientUuid(name)) });
  const report = await runTestClient(options(server.port));
  assert.equal(report.score.total, 40);
  assert.equal(report.clients[0]!.uuid, "f97e575c-28d5-36b4-9170-f3cbaef757af");
  assert.deepEqual(report.clients.flatMap((client) => client.warnings), []);
});

Deno.test("runTestClient() fails replies whose UUID differs from the handshake's", async () => {
  await using server = fakeServer({ replyUuid: dashed });
  const report = await runTestClient(options(server.port, { clients: 1 }));
  assert.equal(report.score.total, 0);
  assert.match(report.clients[0]!.requests[0]!.detail, /^reply ends with UUID f97e575c-28d5-/);
});

Deno.test("runTestClient() warns about a UUID that is not uuid3 but scores it", async () => {
  await using server = fakeServer({ uuid: (name) => clientUuid(`x${name}`) });
  const report = await runTestClient(options(server.port, { clients: 2 }));
  assert.equal(report.score.total, 40);
  assert.match(report.clients[1]!.warnings[0]!, /^UUID is not uuid3\(NAMESPACE_DNS, 'Client2'\)/);
});

Deno.test("runTestClient() fails every client but the first when UUIDs repeat", async () => {
  await using server = fakeServer({ uuid: () => clientUuid("same") });
  const report = await runTestClient(options(server.port, { clients: 3 }));
  assert.deepEqual(
    report.clients.map((client) => client.requests.every((request) => request.ok)),
    [true, false, false],
  );
  assert.match(report.clients[2]!.error!, /is also Client1's; UUIDs must differ$/);
  assert.equal(report.score.total, 20); // half of each type
});

Deno.test("runTestClient() gives half points for a type only some clients get right", async () => {
  await using server = fakeServer({
    answer: (name, keyword, right) =>
      name === "Client2" && keyword === "FACTORIAL" ? `${right}0` : undefined,
  });
  const lines: string[] = [];
  const report = await runTestClient(options(server.port, { log: (line) => lines.push(line) }));
  assert.deepEqual(
    [report.score.fibonacci.points, report.score.factorial.points, report.score.wordCount.points],
    [10, 5, 20],
  );
  assert.equal(report.score.factorial.okay, 6);
  assert.ok(
    lines.some((line) => /^\[Client2\] FACTORIAL \d+ Failed: expected \d+, got/.test(line)),
  );
});

Deno.test("runTestClient() reports an ERROR reply as a failure with its message", async () => {
  await using server = fakeServer({
    answer: (_, keyword) => (keyword === "FILE" ? "ERROR no files today" : undefined),
  });
  const report = await runTestClient(options(server.port, { clients: 1 }));
  const failed = report.clients[0]!.requests.filter((request) => !request.ok);
  assert.deepEqual(failed.map((request) => request.detail), [
    "server replied 'ERROR no files today'",
    "server replied 'ERROR no files today'",
  ]);
  assert.equal(report.score.total, 20);
});

Deno.test("runTestClient() reports a server that hangs up instead of replying", async () => {
  await using server = fakeServer({ hangUp: true });
  const report = await runTestClient(options(server.port, { clients: 1 }));
  const client = report.clients[0]!;
  assert.equal(client.requests[0]!.detail, "no reply before the server closed the connection");
  assert.equal(client.requests.filter((request) => request.detail === "not sent").length, 5);
  assert.equal(report.score.total, 0);
});

Deno.test("runTestClient() times out when no reply comes", async () => {
  await using server = serveTcp({ hostname: "127.0.0.1", port: 0 }, async (conn) => {
    await writeAll(conn, new TextEncoder().encode(clientUuid("Client1")));
    try {
      await new Response(conn.readable).arrayBuffer(); // read everything, answer nothing
    } catch {
      // The client gave up and closed: expected.
    }
  }, { log: console.error });
  const report = await runTestClient(options(server.port, { clients: 1, timeoutMs: 100 }));
  assert.equal(report.clients[0]!.requests[0]!.detail, "no reply within 100 ms");
});

Deno.test("runTestClient() reports a server that sends no UUID", async () => {
  await using server = serveTcp({ hostname: "127.0.0.1", port: 0 }, async (conn) => {
    await writeAll(conn, new TextEncoder().encode("ERROR go away"));
  }, { log: console.error });
  const report = await runTestClient(options(server.port, { clients: 1 }));
  assert.equal(
    report.clients[0]!.error,
    "expected a UUID after sending the name, got 'ERROR go away' before the server closed the connection",
  );
});

Deno.test("runTestClient() says once that nothing listens when refused", async () => {
  const port = freePort();
  const lines: string[] = [];
  const report = await runTestClient(
    options(port, { clients: 2, log: (line) => lines.push(line) }),
  );
  for (const client of report.clients) {
    assert.match(client.error!, /^Cannot connect to 127\.0\.0\.1:\d+: nothing listens there/);
    assert.equal(client.refused, true);
  }
  assert.deepEqual(lines, [
    `Nothing listens on 127.0.0.1:${port} (connection refused); ` +
    "a server bound to another address needs --host",
  ]);
  assert.equal(report.score.total, 0);
});

Deno.test("runTestClient() rejects a client count below one", async () => {
  await assert.rejects(runTestClient(options(1, { clients: 0 })), { name: "RangeError" });
});
