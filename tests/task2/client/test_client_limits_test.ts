import assert from "node:assert/strict";
import { clientUuid } from "../../../lib/task2/protocol/client_uuid.ts";
import { serveCompute } from "../../../lib/task2/server/compute_server.ts";
import { serveTcp } from "../../../lib/net/listener.ts";
import { closeQuietly } from "../../../lib/net/deadline.ts";
import { runTestClient, type TestClientOptions } from "../../../lib/task2/client/test_client.ts";
import { writeAll } from "../../../lib/net/write_all.ts";

function options(port: number, extra: Partial<TestClientOptions> = {}): TestClientOptions {
  return { hostname: "127.0.0.1", port, pauseMs: 10, timeoutMs: 2000, log() {}, ...extra };
}

/**
 * A server that serves one client at a time: it accepts a connection, relays
 * it to a real compute server until it ends, and only then accepts the next.
 */
function sequentialServer() {
  const compute = serveCompute({ hostname: "127.0.0.1", gapMs: 5, log() {} });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const loop = (async () => {
    for await (const conn of listener) {
      using upstream = await Deno.connect({ hostname: "127.0.0.1", port: compute.port });
      await Promise.allSettled([
        conn.readable.pipeTo(upstream.writable),
        upstream.readable.pipeTo(conn.writable),
      ]);
      closeQuietly(conn);
    }
  })();
  return {
    port: listener.addr.port,
    async [Symbol.asyncDispose]() {
      listener.close();
      await loop;
      await compute.close({ force: true });
    },
  };
}

Deno.test("runTestClient() finds out a server that serves one client at a time", async () => {
  await using server = sequentialServer();
  const lines: string[] = [];
  const report = await runTestClient(
    options(server.port, { barrierMs: 200, log: (line) => lines.push(line) }),
  );
  assert.equal(report.sequential, true);
  assert.deepEqual(report.clients.map((client) => client.unserved === true), [
    false,
    true,
    true,
    true,
  ]);
  assert.equal(report.clients[0]!.requests.filter((request) => request.ok).length, 6);
  assert.equal(report.score.total, 20); // one client fully served: half of every type
  assert.ok(lines.includes(
    "The server served its clients one at a time: Client2, Client3, Client4 got no UUID " +
      "within 200 ms while Client1 waited; only clients served at once count",
  ));
});

Deno.test("runTestClient() stops reading a reply that never ends, at its cap", async () => {
  await using server = serveTcp({ hostname: "127.0.0.1", port: 0 }, async (conn) => {
    await conn.read(new Uint8Array(64)); // the name
    await writeAll(conn, new TextEncoder().encode(clientUuid("Client1")));
    await conn.read(new Uint8Array(64)); // the first request begins
    const junk = new Uint8Array(8192).fill(0x39);
    try {
      for (;;) await writeAll(conn, junk);
    } catch {
      // The client hung up: done.
    }
  }, { log: console.error });
  const lines: string[] = [];
  const report = await runTestClient(
    options(server.port, { clients: 1, maxReplyBytes: 50_000, log: (line) => lines.push(line) }),
  );
  const client = report.clients[0]!;
  assert.match(
    client.requests.find((request) => !request.ok && request.detail !== "not sent")!.detail,
    /^no whole reply within 50000 bytes; stopped reading, got '9{60}\.\.\.\(50000 bytes\)'$/,
  );
  assert.equal(
    client.error,
    client.requests.find((request) => request.detail.startsWith("no"))!.detail,
  );
  assert.equal(lines.filter((line) => line.includes("Failed")).length, 1); // one clear line
  assert.match(
    lines.at(-1)!,
    /Failed: no whole reply within 50000 bytes; .*; stopped, 5 request\(s\) not sent$/,
  );
});

Deno.test("runTestClient() ends a session that takes longer than its deadline", async () => {
  await using server = serveTcp({ hostname: "127.0.0.1", port: 0 }, async (conn) => {
    await writeAll(conn, new TextEncoder().encode(clientUuid("Client1")));
    // Never answers, never closes; the client's session deadline must end it.
    try {
      await conn.readable.pipeTo(new WritableStream());
    } catch {
      // The client closed.
    }
  }, { log: console.error });
  const report = await runTestClient(
    options(server.port, { clients: 1, timeoutMs: 5000, sessionMs: 400 }),
  );
  assert.equal(report.clients[0]!.error, "the session took longer than 400 ms; closed it");
  // Usually the first reply is being awaited when the deadline passes; on a
  // busy machine the deadline may come while sending instead.
  assert.match(
    report.clients[0]!.requests[0]!.detail,
    /^(no reply within the session's 400 ms|(no reply|could not send): the session took longer than 400 ms; closed it|not sent)$/,
  );
  assert.equal(report.score.total, 0);
});

Deno.test("runTestClient() traces every message with times, escaping what the server sent", async () => {
  const evil = "\x1b[2J\x1b]0;owned\x07";
  await using server = serveTcp({ hostname: "127.0.0.1", port: 0 }, async (conn) => {
    const uuid = clientUuid("Client1");
    await conn.read(new Uint8Array(64)); // the name
    await writeAll(conn, new TextEncoder().encode(uuid));
    await conn.read(new Uint8Array(64)); // the first request begins
    await writeAll(conn, new TextEncoder().encode(`${evil}_${uuid}`));
    // Read on until the client hangs up: closing with unread bytes would reset
    // the connection and could drop the reply before the client reads it.
    try {
      while (await conn.read(new Uint8Array(1024)) !== null) { /* discard */ }
    } catch {
      // Reset by the client: done.
    }
  }, { log: console.error });
  const lines: string[] = [];
  const traced: string[] = [];
  await runTestClient(options(server.port, {
    clients: 1,
    timeoutMs: 300, // the second request gets no reply
    log: (line) => lines.push(line),
    trace: (line) => traced.push(line),
  }));
  assert.match(traced[0]!, /^\[Client1\] \+\d+\.\dms -> Client1$/);
  assert.match(traced[1]!, /^\[Client1\] \+\d+\.\dms <- f97e575c28d536b49170f3cbaef757af$/);
  // TCP may cut the reply anywhere; escaping is per byte, so the chunks join up.
  const received = traced.map((line) => line.split(" <- ")[1] ?? "").join("");
  assert.ok(received.includes("\\x1b[2J\\x1b]0;owned\\x07_f97e"), received);
  for (const line of [...lines, ...traced]) {
    // Nothing raw reaches a terminal: matching control characters is the point.
    // deno-lint-ignore no-control-regex
    assert.doesNotMatch(line, /[\x00-\x1f\x7f]/, line);
  }
  assert.ok(lines.some((line) => line.includes("got '\\x1b[2J\\x1b]0;owned\\x07'")));
});
