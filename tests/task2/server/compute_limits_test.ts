import assert from "node:assert/strict";
import { RequestError } from "../../../lib/task2/protocol/errors.ts";
import { PoolBusyError } from "../../../lib/task2/compute/compute_pool.ts";
import { runTestClient } from "../../../lib/task2/client/test_client.ts";
import { greeted, rawPeer, testServer, UUID1, waitFor } from "../../helpers/task2_peer.ts";

const server = testServer;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("serveCompute() ends a session at its total time limit while bytes trickle in", async () => {
  const lines: string[] = [];
  await using compute = server(lines, { sessionLimitMs: 300, timeoutMs: 1000 });
  using peer = await greeted(compute.port);
  await peer.send("FILE 100");
  const trickle = (async () => {
    for (let i = 0; i < 20; i++) {
      await sleep(40);
      await peer.send("x").catch(() => {});
    }
  })();
  const rest = await peer.rest();
  assert.match(
    rest,
    /^ERROR Session time limit reached while waiting for the FILE body \(\d+ of 100/,
  );
  assert.ok(rest.endsWith(`_${UUID1}`));
  await trickle;
});

Deno.test("serveCompute() answers connections past maxConnections with one ERROR line", async () => {
  await using compute = server([], { maxConnections: 2 });
  using first = await greeted(compute.port);
  {
    using _second = await greeted(compute.port);
    using third = await rawPeer(compute.port);
    assert.equal(
      await third.rest(),
      "ERROR Server busy: 2 connections are open, try again later\n",
    );
  }
  await waitFor(() => compute.active === 1, "the second connection to end");
  using fourth = await greeted(compute.port);
  await fourth.send("FIBONACCI 3");
  assert.equal(await fourth.reply(), `2_${UUID1}`);
  await first.send("COMPLETE");
});

Deno.test("serveCompute() with trace logs every message with its time, escaped", async () => {
  const lines: string[] = [];
  await using compute = server(lines, { trace: (line) => lines.push(line) });
  using peer = await greeted(compute.port);
  await peer.send("FIBONACCI 7");
  assert.equal(await peer.reply(), `13_${UUID1}`);
  await peer.send("FILE 4");
  await peer.send("a\x01 b");
  assert.equal(await peer.reply(), `2_${UUID1}`);
  const traced = lines.filter((line) => / \+\d+\.\dms /.test(line)).map((line) =>
    line.replace(/^\[[^\]]+\] \+\d+\.\dms /, "")
  );
  assert.deepEqual(traced, [
    "<- Client1",
    `-> ${UUID1}`,
    "<- FIBONACCI",
    "<- 7",
    `-> 13_${UUID1}`,
    "<- FILE",
    "<- 4",
    "<- body of 4 bytes, from |a\\x01 b|",
    `-> 2_${UUID1}`,
  ]);
});

Deno.test("serveCompute() uses the injected computation and aborts it when the client leaves", async () => {
  let aborted = 0;
  await using compute = server([], {
    compute: (request, signal) => {
      if (request.n === 1) return Promise.resolve(`${request.kind}:${request.n}`);
      if (request.n === 2) return Promise.reject(new RequestError("too hard"));
      return new Promise((_, reject) => {
        signal.addEventListener("abort", () => {
          aborted++;
          reject(signal.reason);
        });
      });
    },
  });
  {
    using peer = await greeted(compute.port);
    await peer.send("FACTORIAL 1");
    assert.equal(await peer.reply(), `factorial:1_${UUID1}`);
    await peer.send("FIBONACCI 2");
    assert.equal(await peer.reply(), `ERROR too hard_${UUID1}`);
    await peer.send("FIBONACCI 3"); // never answered
    await sleep(20);
  }
  await waitFor(() => aborted === 1, "the computation to be aborted");
});

Deno.test({
  name: "serveCompute() with 2 threads serves every client and stops after the batch",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const lines: string[] = [];
    await using compute = server(lines, {
      once: true,
      workers: 2,
      compute: (request) => Promise.resolve(request.kind === "factorial" ? "6" : "13"),
    });
    // Many connections, so the kernel hands some to the worker thread.
    const peers = await Promise.all(Array.from({ length: 12 }, () => greeted(compute.port)));
    for (const peer of peers) {
      await peer.send("FACTORIAL 3");
      assert.equal(await peer.reply(), `6_${UUID1}`);
      await peer.send("COMPLETE");
      assert.equal(await peer.rest(), "");
      peer[Symbol.dispose]();
    }
    await compute.finished;
    assert.equal(lines.filter((line) => line.endsWith("fact of 3")).length, 12);
    assert.match(lines.at(-1)!, /All 12 client\(s\) of the batch sent COMPLETE; stopping/);
    // Both threads listened: no "Listener thread ... failed" or "could not start".
    assert.deepEqual(lines.filter((line) => line.startsWith("Listener thread")), []);
  },
});

Deno.test({
  name: "serveCompute() with 2 threads scores 40/40 against the test client",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await using compute = server([], { workers: 2, once: true });
    const report = await runTestClient({
      hostname: "127.0.0.1",
      port: compute.port,
      clients: 8,
      pauseMs: 2,
      maxFileBytes: 5000,
      log() {},
    });
    assert.equal(report.score.total, 40, JSON.stringify(report.clients));
    await compute.finished;
  },
});

Deno.test({
  name: "serveCompute() with 2 threads still refuses a port another server holds",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await using first = server([]);
    assert.throws(() => server([], { port: first.port, workers: 2 }), {
      name: "ConnectionError",
      message: `Cannot listen on port ${first.port} on 127.0.0.1: it is already in use`,
    });
  },
});

Deno.test({
  name: "serveCompute() with quiet drops every session's lines, in both threads, not the server's",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const lines: string[] = [];
    await using compute = server(lines, { once: true, workers: 2, quiet: true });
    const peers = await Promise.all(Array.from({ length: 8 }, () => greeted(compute.port)));
    for (const peer of peers) {
      await peer.send("HELLO");
      assert.match(await peer.reply(), /^ERROR Unknown request 'HELLO'/);
      await peer.send("COMPLETE");
      assert.equal(await peer.rest(), "");
      peer[Symbol.dispose]();
    }
    await compute.finished;
    assert.deepEqual(lines.filter((line) => line.startsWith("[")), []);
    assert.match(lines.at(-1)!, /All 8 client\(s\) of the batch sent COMPLETE; stopping/);
  },
});

Deno.test({
  name: "serveCompute() with 2 threads applies maxConnections to their sum, not to each",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await using compute = server([], { workers: 2, maxConnections: 10 });
    // The kernel spreads them unevenly; a per-thread share of 5 refused some.
    const peers = await Promise.all(Array.from({ length: 10 }, () => greeted(compute.port)));
    {
      using extra = await rawPeer(compute.port);
      assert.equal(
        await extra.rest(),
        "ERROR Server busy: 10 connections are open, try again later\n",
      );
    }
    peers.pop()![Symbol.dispose]();
    await waitFor(() => compute.active === 9, "a connection to end");
    peers.push(await greeted(compute.port));
    for (const peer of peers) peer[Symbol.dispose]();
  },
});

Deno.test("serveCompute() logs a failed computation as a server error, even when quiet", async () => {
  const lines: string[] = [];
  await using compute = server(lines, {
    quiet: true,
    compute: () => Promise.reject(new Error("worker crashed")),
  });
  using peer = await greeted(compute.port);
  await peer.send("FIBONACCI 5");
  assert.equal(await peer.reply(), `ERROR FIBONACCI 5 failed: worker crashed_${UUID1}`);
  assert.equal(lines.length, 1, lines.join("\n"));
  assert.match(
    lines[0]!,
    /^\[127\.0\.0\.1:\d+\] Server error: FIBONACCI 5 failed: worker crashed$/,
  );
});

Deno.test("serveCompute() logs a full compute queue as load, muted when quiet", async () => {
  for (const quiet of [false, true]) {
    const lines: string[] = [];
    await using compute = server(lines, {
      quiet,
      compute: () =>
        Promise.reject(new PoolBusyError("The compute queue is full (0 jobs waiting)")),
    });
    using peer = await greeted(compute.port);
    await peer.send("FIBONACCI 5");
    assert.match(await peer.reply(), /^ERROR FIBONACCI 5 failed: The compute queue is full/);
    const busy = lines.filter((line) => /FIBONACCI 5/.test(line));
    assert.equal(busy.length, quiet ? 0 : 1, lines.join("\n"));
    for (const line of busy) assert.match(line, /^\[127\.0\.0\.1:\d+\] Busy: FIBONACCI 5 failed: /);
    assert.doesNotMatch(lines.join("\n"), /Server error/);
  }
});

Deno.test("serveCompute() answers the request after one whose n is over the limit, in one write", async () => {
  await using compute = server([], { fibonacciLimit: 10, gapMs: 1000, timeoutMs: 5000 });
  using peer = await greeted(compute.port);
  // A whole request: nothing of it is left to drop, so the next one is kept.
  await peer.send("FIBONACCI 11 FACTORIAL 3");
  assert.equal(await peer.reply(), `ERROR FIBONACCI n must be at most 10, got 11_${UUID1}`);
  assert.equal(await peer.reply(), `6_${UUID1}`);
});

Deno.test("serveCompute() closing tells each open session in one ERROR line and logs it as shut down", async () => {
  const lines: string[] = [];
  const compute = server(lines);
  using peer = await greeted(compute.port);
  using unnamed = await rawPeer(compute.port);
  await peer.send("FIBONACCI");
  await waitFor(() => compute.active === 2, "the sessions");
  await compute.close();
  assert.equal(
    await peer.rest(),
    `ERROR Server shutting down; connection closed, try again later_${UUID1}`,
  );
  assert.equal(
    await unnamed.rest(),
    "ERROR Server shutting down; connection closed, try again later",
  );
  const shut = lines.filter((line) => /Server shutting down/.test(line));
  assert.equal(shut.length, 2, lines.join("\n"));
  for (const line of shut) {
    assert.match(
      line,
      /^\[127\.0\.0\.1:\d+\] Server shutting down; told the client, connection closed$/,
    );
  }
});

Deno.test("runTestClient() reports a compute server shutting down mid-session in one line", async () => {
  const lines: string[] = [];
  const compute = server([]);
  let closing: Promise<void> | undefined;
  const report = await runTestClient({
    hostname: "127.0.0.1",
    port: compute.port,
    clients: 1,
    pauseMs: 100,
    log: (line) => {
      lines.push(line);
      // Shut down as soon as the first reply was judged: the session is in its middle.
      if (/Okay$/.test(line)) closing ??= compute.close();
    },
  });
  await closing;
  const client = report.clients[0]!;
  assert.match(
    client.error ?? "",
    /^the server shut down during the session: ERROR Server shutting down; connection closed/,
  );
  const shut = lines.filter((line) => /shut down/.test(line));
  assert.equal(shut.length, 1, lines.join("\n"));
  assert.doesNotMatch(lines.join("\n"), /LIKELY CAUSE|Broken pipe|reset/);
});
