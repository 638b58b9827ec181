import assert from "node:assert/strict";
import { withTimeout } from "../../lib/net/deadline.ts";
import { runDecryptClient } from "../../lib/task1/client/decrypt_client.ts";
import { serveGrading } from "../../lib/task1/grading/grading_server.ts";
import { ScoreStore } from "../../lib/scores/score_store.ts";
import { serveStaffHttp } from "../../lib/scores/staff_http.ts";
import { serveStaffPage } from "../../lib/scores/staff_server.ts";
import { freePort, programCommand, ROOT, startServer, tempDir } from "../helpers/processes.ts";
import { writeAll } from "../helpers/sockets.ts";
import { waitFor } from "../helpers/task2_peer.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Everything the server sends until it closes the connection (bounded by 20 s). */
async function readToClose(conn: Deno.Conn): Promise<string> {
  return await withTimeout(new Response(conn.readable).text(), 20_000, "the server to close");
}

async function raw(port: number, request: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await writeAll(conn, encoder.encode(request));
  return await readToClose(conn);
}

const hello = () => Promise.resolve(new Response("hello"));

Deno.test("serveStaffHttp() answers 421 to a foreign Host, serves loopback names and a given name", async () => {
  await using server = serveStaffHttp({
    hostname: "127.0.0.1",
    port: 0,
    allowedHosts: ["staff.example.edu"],
    onError: () => {},
  }, hello);
  const port = server.addr.port;
  const ask = (host: string) =>
    raw(port, `GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  assert.match(await ask("evil.example"), /^HTTP\/1\.1 421 /);
  assert.match(await ask("evil.example:" + port), /^HTTP\/1\.1 421 /);
  assert.doesNotMatch(await ask("evil.example"), /hello/);
  assert.match(await raw(port, "GET / HTTP/1.1\r\n\r\n"), /^HTTP\/1\.1 421 /);
  for (const host of [`127.0.0.1:${port}`, "localhost", `LOCALHOST:${port}`, "staff.example.edu"]) {
    assert.match(await ask(host), /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nhello$/, host);
  }
});

Deno.test("serveStaffHttp() closes an idle connection and a half-sent head at their limits", async () => {
  const errors: string[] = [];
  await using server = serveStaffHttp({
    hostname: "127.0.0.1",
    port: 0,
    limits: { idleMs: 50, headerMs: 100 },
    onError: (line) => errors.push(line),
  }, hello);
  const port = server.addr.port;
  const idle = await Deno.connect({ hostname: "127.0.0.1", port });
  assert.equal(await readToClose(idle), "");
  const slow = await Deno.connect({ hostname: "127.0.0.1", port });
  await writeAll(slow, encoder.encode("GET / HTTP/1.1\r\nHost: loc"));
  assert.equal(await readToClose(slow), "");
  // A kept-alive connection is closed after its idle limit too, once answered.
  const kept = await Deno.connect({ hostname: "127.0.0.1", port });
  await writeAll(kept, encoder.encode("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"));
  assert.match(await readToClose(kept), /connection: keep-alive\r\n\r\nhello$/);
  assert.deepEqual(errors, []);
});

Deno.test("serveStaffHttp() bounds keep-alive, head size, methods and bodies", async () => {
  await using server = serveStaffHttp({
    hostname: "127.0.0.1",
    port: 0,
    limits: { maxRequests: 2 },
    onError: () => {},
  }, hello);
  const port = server.addr.port;
  const one = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
  const answers = await raw(port, one + one + one);
  assert.equal(answers.match(/HTTP\/1\.1 200/g)?.length, 2);
  assert.match(answers, /connection: close\r\n\r\nhello$/);
  assert.match(
    await raw(port, `GET / HTTP/1.1\r\nX: ${"a".repeat(9000)}\r\n\r\n`),
    /^HTTP\/1\.1 431 /,
  );
  assert.match(await raw(port, "POST / HTTP/1.1\r\nHost: localhost\r\n\r\n"), /^HTTP\/1\.1 405 /);
  assert.match(await raw(port, "TRACE / HTTP/1.1\r\nHost: localhost\r\n\r\n"), /^HTTP\/1\.1 405 /);
  assert.match(
    await raw(port, "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello"),
    /^HTTP\/1\.1 400 /,
  );
  assert.match(await raw(port, "garbage\r\n\r\n"), /^HTTP\/1\.1 400 /);
  const head = await raw(port, "HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  assert.match(head, /content-length: 5\r\nconnection: close\r\n\r\n$/);
});

Deno.test("serveStaffPage() at its connection cap answers 503, and a student is still graded", async () => {
  await using store = await ScoreStore.open(":memory:");
  await using page = serveStaffPage({ store, limits: { maxConnections: 2 }, onError: () => {} });
  await using server = serveGrading({ hostname: "127.0.0.1", store, log: () => {} });
  using _a = await Deno.connect({ hostname: "127.0.0.1", port: page.port });
  using _b = await Deno.connect({ hostname: "127.0.0.1", port: page.port });
  const third = await Deno.connect({ hostname: "127.0.0.1", port: page.port });
  assert.match(await readToClose(third), /^HTTP\/1\.1 503 [^]*too many staff page connections/);
  const result = await runDecryptClient({
    hostname: "127.0.0.1",
    port: server.port,
    studentId: 20200001,
  });
  assert.equal(result.score, 50);
  assert.equal((await store.rows({})).length, 1);
});

Deno.test("the grading server outlives a descriptor flood while its staff page is polled", async () => {
  await using dir = await tempDir();
  const http = freePort();
  const [deno, args] = programCommand(
    "server.ts",
    "--task=1",
    "--port=0",
    `--http=${http}`,
    "--max-connections=100000",
    `--db=${dir.path}/scores.db`,
  );
  await using server = await startServer("prlimit", ["--nofile=128:128", deno, ...args], ROOT);
  const flood: Deno.TcpConn[] = [];
  try {
    for (let i = 0; i < 300; i++) {
      flood.push(await Deno.connect({ hostname: "127.0.0.1", port: server.port }));
    }
    // The server accepts the flood at its own pace: poll its page only once
    // it has taken all its 128 descriptors, not while some are free.
    // (Deno wants --allow-all to read /proc itself; `ls` may.)
    const descriptors = () => {
      const listing = new Deno.Command("ls", { args: [`/proc/${server.child.pid}/fd`] });
      return new TextDecoder().decode(listing.outputSync().stdout).split("\n").length - 1;
    };
    // That wait is the check that the flood exhausted them: it throws when
    // the server never gets there. (Counting unanswered polls was not: on a
    // loaded machine the server may free a descriptor between two polls.)
    await waitFor(() => descriptors() >= 128, "the server to use up its 128 descriptors");
    // Poll the page meanwhile; whether a poll is answered depends on timing.
    for (let i = 0; i < 5; i++) {
      try {
        const response = await fetch(`http://127.0.0.1:${http}/api/state`, {
          signal: AbortSignal.timeout(500),
        });
        await response.body?.cancel();
      } catch (error) {
        if (!(error instanceof DOMException)) throw error;
      }
    }
  } finally {
    for (const conn of flood) conn.close();
  }
  const [client, clientArgs] = programCommand(
    "client.ts",
    "--task=1",
    "--host=127.0.0.1",
    `--port=${server.port}`,
    "--studentID=20200001",
  );
  const graded = await new Deno.Command(client, { args: clientArgs, cwd: ROOT }).output();
  assert.equal(graded.code, 0, decoder.decode(graded.stderr));
  const state = await (await fetch(`http://127.0.0.1:${http}/api/state`)).json();
  assert.equal(state.scores[0].best, 50);
  const ended = await server.stop();
  assert.doesNotMatch(ended.stderr, /Uncaught/);
});
