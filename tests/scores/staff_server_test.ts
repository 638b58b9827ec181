import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";
import { runDecryptClient } from "../../lib/task1/client/decrypt_client.ts";
import { serveGrading } from "../../lib/task1/grading/grading_server.ts";
import { encodePacket } from "../../lib/task1/protocol/packet.ts";
import { AttemptsLog } from "../../lib/scores/attempts_log.ts";
import { ScoreStore } from "../../lib/scores/score_store.ts";
import { serveStaffPage } from "../../lib/scores/staff_server.ts";
import type { StaffState } from "../../lib/scores/staff_state.ts";
import { runPeer } from "../helpers/task1_peer.ts";

async function get(url: string, init?: RequestInit): Promise<{ response: Response; text: string }> {
  const response = await fetch(url, init);
  return { response, text: await response.text() };
}

Deno.test("serveStaffPage() is read-only: other methods get 405, unknown paths 404", async () => {
  await using store = await ScoreStore.open(":memory:");
  await using page = serveStaffPage({ store, log: new AttemptsLog() });
  for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
    const { response } = await get(new URL("/api/state", page.url).href, { method });
    assert.equal(response.status, 405, method);
    assert.equal(response.headers.get("allow"), "GET, HEAD");
  }
  assert.equal((await get(new URL("/nope", page.url).href)).response.status, 404);
  const head = await get(page.url, { method: "HEAD" });
  assert.equal(head.response.status, 200);
  assert.equal(head.text, "");
  assert.match(head.response.headers.get("content-security-policy")!, /script-src 'self'/);
  assert.equal(head.response.headers.get("x-content-type-options"), "nosniff");
});

Deno.test("serveStaffPage() binds 127.0.0.1 unless told otherwise", async () => {
  await using store = await ScoreStore.open(":memory:");
  await using page = serveStaffPage({ store, log: new AttemptsLog() });
  assert.match(page.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
});

Deno.test("serveStaffPage() escapes what a student sent, on the page and in the API", async () => {
  await using store = await ScoreStore.open(":memory:");
  const log = new AttemptsLog();
  log.start("127.0.0.1:4242");
  log.finish({
    peer: "127.0.0.1:4242",
    sid: 20200000,
    keyword: "sbmt",
    score: 10,
    message: `Reply packet 1: keyword '<script>alert(1)</script>\x1b[2J', expected the key 'abcd'`,
  });
  await using page = serveStaffPage({ store, log });
  const html = (await get(page.url)).text;
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;\\x1b\[2J/);
  const state: StaffState = JSON.parse((await get(new URL("/api/state", page.url).href)).text);
  assert.equal(state.attempts[0]!.verdict, "FAIL");
  assert.match(state.attempts[0]!.message, /\\x1b\[2J/);
  assert.deepEqual(state.active, []);
});

Deno.test("serveStaffPage() shows a grading server's attempts, sessions and scores, ids masked", async () => {
  await using store = await ScoreStore.open(":memory:");
  const log = new AttemptsLog();
  await using server = serveGrading({
    hostname: "127.0.0.1",
    store,
    log: () => {},
    onStart: (peer) => log.start(peer),
    onOutcome: (outcome) => log.finish(outcome),
  });
  await using page = serveStaffPage({ store, log, maskIds: true });
  await runDecryptClient({ hostname: "127.0.0.1", port: server.port, studentId: 20201234 });
  await runPeer(server.port, {
    header: encodePacket({ flag: 0, keyword: "sbmt", sid: 20205678, data: new Uint8Array() }),
  });
  // A session that is still open: it sent nothing yet.
  using _idle = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  let state: StaffState;
  for (let tries = 0;; tries++) {
    state = JSON.parse((await get(new URL("/api/state", page.url).href)).text);
    if (state.active.length > 0 || tries === 100) break;
    await sleep(20);
  }
  assert.equal(state.active.length, 1);
  assert.deepEqual(state.attempts.map((a) => [a.id, a.score, a.verdict]), [
    [null, 0, "FAIL"],
    ["*****234", 50, "GOOD"],
  ]);
  assert.match(state.attempts[0]!.message, /^Invalid header: flag 0/);
  assert.equal(state.perMinute.at(-1), 2);
  assert.deepEqual(state.scores.map((s) => [s.id, s.task, s.best]), [["*****234", 1, 50]]);
  const csv = (await get(new URL("/scores.csv", page.url).href)).text;
  assert.match(csv, /^\*{5}234,1,50,50,50,1,/m);
  assert.doesNotMatch(csv + JSON.stringify(state), /20201234/);
  const json = JSON.parse((await get(new URL("/api/scores", page.url).href)).text);
  assert.equal(json[0].student_id, "*****234");
});

Deno.test("serveStaffPage() on a port in use names the staff page and its address", async () => {
  await using store = await ScoreStore.open(":memory:");
  await using page = serveStaffPage({ store, log: new AttemptsLog() });
  assert.throws(() => serveStaffPage({ store, log: new AttemptsLog(), port: page.port }), {
    name: "ConnectionError",
    message: `Cannot serve the staff page on 127.0.0.1:${page.port}: the port is already in use`,
  });
});
