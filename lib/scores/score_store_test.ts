import assert from "node:assert/strict";
import { runDecryptClient } from "../task1/decrypt_client.ts";
import { serveGrading } from "../task1/grading_server.ts";
import { ScoreStore } from "./score_store.ts";
import { runPeer } from "../../testing/task1_peer.ts";
import { runToEnd, tempDir } from "../../testing/processes.ts";

const SID = 20200000;

Deno.test("ScoreStore.record() keeps only the best score per student and task", async () => {
  await using dir = await tempDir();
  const db = { path: `${dir.path}/scores.db` };
  using store = ScoreStore.open(db.path);
  assert.deepEqual(store.record(SID, 1, 20), { best: 20, improved: true });
  assert.deepEqual(store.record(SID, 1, 50), { best: 50, improved: true });
  assert.deepEqual(store.record(SID, 1, 35), { best: 50, improved: false });
  assert.deepEqual(store.record(SID, 1, 50), { best: 50, improved: false });
  assert.deepEqual(store.record(SID, 2, 10), { best: 10, improved: true });
  assert.deepEqual(store.record(20209999, 1, 0), { best: 0, improved: true });
  const rows = store.rows().map(({ studentId, task, best, last, attempts }) => ({
    studentId,
    task,
    best,
    last,
    attempts,
  }));
  assert.deepEqual(rows, [
    { studentId: SID, task: 1, best: 50, last: 50, attempts: 4 },
    { studentId: SID, task: 2, best: 10, last: 10, attempts: 1 },
    { studentId: 20209999, task: 1, best: 0, last: 0, attempts: 1 },
  ]);
  assert.throws(() => store.record(SID, 1, -1), { name: "RangeError" });
});

Deno.test("ScoreStore.open() keeps scores across reopening, in WAL mode", async () => {
  await using dir = await tempDir();
  const db = { path: `${dir.path}/scores.db` };
  {
    using store = ScoreStore.open(db.path);
    store.record(SID, 1, 45);
  }
  using store = ScoreStore.open(db.path);
  assert.equal(store.best(SID, 1), 45);
  const wal = await Deno.stat(`${db.path}-wal`).then(() => true, () => false);
  assert.equal(wal, true);
});

Deno.test("ScoreStore.record() never loses the higher score across interleaved connections", async () => {
  await using dir = await tempDir();
  const db = { path: `${dir.path}/scores.db` };
  const stores = [ScoreStore.open(db.path), ScoreStore.open(db.path), ScoreStore.open(db.path)];
  try {
    const scores = Array.from({ length: 300 }, (_, i) => (i * 37) % 51);
    scores.forEach((score, i) => stores[i % 3]!.record(SID, 1, score));
    assert.equal(stores[1]!.best(SID, 1), Math.max(...scores));
    assert.equal(stores[2]!.rows()[0]?.attempts, 300);
  } finally {
    for (const store of stores) store.close();
  }
});

Deno.test("serveGrading() keeps the best of concurrent submissions for one student", async () => {
  await using dir = await tempDir();
  const db = { path: `${dir.path}/scores.db` };
  using store = ScoreStore.open(db.path);
  await using server = serveGrading({ hostname: "127.0.0.1", store, log: () => {} });
  const good = () => runDecryptClient({ hostname: "127.0.0.1", port: server.port, studentId: SID });
  const corrupt = () =>
    runPeer(server.port, { corruptAt: 100 }).then((run) => ({ score: run.result?.sid }));
  const results = await Promise.all([corrupt(), good(), corrupt(), corrupt(), good(), corrupt()]);
  assert.deepEqual(results.map((r) => r.score), [35, 50, 35, 35, 50, 35]);
  assert.equal(store.best(SID, 1), 50);
  assert.equal(store.rows()[0]?.attempts, 6);
  // A later worse submission does not lower it.
  await corrupt();
  assert.equal(store.best(SID, 1), 50);
});

Deno.test("serveGrading() with a roster refuses unknown ids and stores nothing for them", async () => {
  using store = ScoreStore.open(":memory:");
  const roster = new Set([20201234]);
  await using server = serveGrading({ hostname: "127.0.0.1", store, roster, log: () => {} });
  const unknown = await runDecryptClient({
    hostname: "127.0.0.1",
    port: server.port,
    studentId: SID,
  });
  assert.equal(unknown.score, 50);
  assert.equal(
    unknown.message,
    "DECRYPTED DATA MATCH & REGISTRATION FAIL: student id 20200000 is not on the roster",
  );
  const known = await runDecryptClient({
    hostname: "127.0.0.1",
    port: server.port,
    studentId: 20201234,
  });
  assert.equal(known.message, "DECRYPTED DATA MATCH & YOUR POINTS ARE REGISTERED ON DATABASE");
  assert.deepEqual(store.rows().map((r) => [r.studentId, r.best]), [[20201234, 50]]);
});

Deno.test("ScoreStore.record() keeps the best under concurrent writes from two processes", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/scores.db`;
  ScoreStore.open(path).close();
  const writer = (offset: number) =>
    runToEnd(Deno.execPath(), [
      "eval",
      `import { ScoreStore } from "${new URL("./score_store.ts", import.meta.url)}";
       using store = ScoreStore.open(${JSON.stringify(path)});
       for (let i = 0; i < 200; i++) store.record(${SID}, 2, (i * 7 + ${offset}) % 40);`,
    ]);
  const [a, b] = await Promise.all([writer(0), writer(3)]);
  assert.deepEqual([a.code, a.stderr, b.code, b.stderr], [0, "", 0, ""]);
  using store = ScoreStore.open(path);
  assert.equal(store.best(SID, 2), 39);
  assert.equal(store.rows()[0]?.attempts, 400);
});
