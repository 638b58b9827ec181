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
import { staffPageHooks } from "../../lib/cli/staff_page.ts";

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
  await store.recordAttempt({
    task: 1,
    peer: "127.0.0.1:4242",
    studentId: 20200000,
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
  assert.deepEqual(state.active.map((a) => a.peer), ["127.0.0.1:4242"]);
});

Deno.test("serveStaffPage() shows a grading server's attempts, sessions and scores, ids masked", async () => {
  await using store = await ScoreStore.open(":memory:");
  const flags = { http: 0, "http-host": "127.0.0.1", "mask-ids": true, attempts: 50 };
  await using staff = staffPageHooks(store, flags, () => {});
  const page = staff.page!;
  await using server = serveGrading({
    ...staff.hooks,
    hostname: "127.0.0.1",
    store,
    log: () => {},
  });
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
  assert.deepEqual(state.attempts.map((a) => [a.studentId, a.score, a.verdict]), [
    [null, 0, "FAIL"],
    ["*****234", 50, "GOOD"],
  ]);
  assert.match(state.attempts[0]!.message, /^Invalid header: flag 0/);
  assert.equal(state.perMinute.at(-1), 2);
  assert.deepEqual(state.scores.map((s) => [s.studentId, s.task, s.best]), [["*****234", 1, 50]]);
  const text = async (path: string) => (await get(new URL(path, page.url).href)).text;
  const csv = await text("/scores.csv");
  assert.match(csv, /^\*{5}234,1,50,50,50,1,/m);
  const json = JSON.parse(await text("/api/scores"));
  assert.equal(json[0].studentId, "*****234");
  // Masked everywhere: the page, the per-student view (by key), the API, the CSV.
  const key = state.scores[0]!.key;
  const view = JSON.parse(await text(`/api/student?key=${key}`));
  assert.equal(view.attempts[0].studentId, "*****234");
  const html = await text("/") + await text(`/?student=${key}`);
  assert.match(html, /Student \*{5}234/);
  const everything = csv + JSON.stringify(state) + JSON.stringify(json) + JSON.stringify(view) +
    html;
  assert.doesNotMatch(everything, /20201234|20205678/);
  assert.equal(
    (await get(new URL("/api/student?key=20201234", page.url).href)).response.status,
    404,
  );
});

Deno.test("serveStaffPage(): /api/state and /api/scores name fields alike; ?task= honoured; CSV per task", async () => {
  await using store = await ScoreStore.open(":memory:");
  await store.record(20200001, 1, 50);
  await store.record(20200001, 2, 30);
  await store.record(20210002, 2, 40);
  await store.recordAttempt({ task: 2, studentId: 20210002, peer: "p", score: 40, message: "ok" });
  await using page = serveStaffPage({ store });
  const json = async (path: string) => JSON.parse((await get(new URL(path, page.url).href)).text);
  const scores: StaffState["scores"] = await json("/api/scores");
  const state: StaffState = await json("/api/state");
  assert.deepEqual(scores, state.scores);
  assert.deepEqual(Object.keys(scores[0]!).sort(), [
    "attempts",
    "best",
    "bestAt",
    "key",
    "last",
    "lastAt",
    "outOf",
    "studentId",
    "task",
  ]);
  assert.doesNotMatch(JSON.stringify(state), /"[a-z]+_[a-z_]+":/, "snake_case field");
  const two = await json("/api/scores?task=2");
  assert.deepEqual(two.map((s: { studentId: string; task: number }) => [s.studentId, s.task]), [
    ["20200001", 2],
    ["20210002", 2],
  ]);
  const twoState: StaffState = await json("/api/state?task=2&prefix=2021");
  assert.deepEqual(twoState.scores.map((s) => s.studentId), ["20210002"]);
  assert.deepEqual(twoState.filter, { task: 2, idPrefix: "2021", verdict: null });
  const csv = await get(new URL("/scores.csv?task=1", page.url).href);
  assert.equal(
    csv.text,
    "student_id,task,best,out_of,last,attempts,best_at,last_at\r\n" +
      `20200001,1,50,50,50,1,${state.scores[0]!.bestAt},${state.scores[0]!.lastAt}\r\n`,
  );
  assert.match(csv.response.headers.get("content-disposition")!, /scores-task1\.csv/);
  for (const bad of ["task=3", "prefix=abc", "verdict=MAYBE"]) {
    const { response } = await get(new URL(`/api/state?${bad}`, page.url).href);
    assert.equal(response.status, 400, bad);
  }
});

Deno.test("serveStaffPage() shows batch results beside the registered scores", async () => {
  await using store = await ScoreStore.open(":memory:");
  await store.record(20200001, 1, 50);
  await store.recordBatch([{
    studentId: 20200001,
    task1: 35,
    task2: 40,
    total: 75,
    items: [{ task: 1, name: "data", points: 0, outOf: 15 }],
    problems: ["client.py imports requests (not in the standard library)"],
    diagnosis: null,
    gradedAt: "2026-12-05T02:00:00.000Z",
  }]);
  await using page = serveStaffPage({ store });
  const html = (await get(page.url)).text;
  assert.match(html, /<td class="low">75\/90 <small>\(35 \+ 40\)<\/small><\/td>/);
  assert.match(html, /imports requests/);
  const state: StaffState = JSON.parse((await get(new URL("/api/state", page.url).href)).text);
  assert.equal(state.batch[0]!.total, 75);
});

Deno.test("serveStaffPage() on a port in use names the staff page and its address", async () => {
  await using store = await ScoreStore.open(":memory:");
  await using page = serveStaffPage({ store, log: new AttemptsLog() });
  assert.throws(() => serveStaffPage({ store, log: new AttemptsLog(), port: page.port }), {
    name: "ConnectionError",
    message: `Cannot serve the staff page on 127.0.0.1:${page.port}: the port is already in use`,
  });
});
