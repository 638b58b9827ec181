import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { ScoreStore } from "../../lib/scores/score_store.ts";
import { runToEnd, tempDir } from "../helpers/processes.ts";

const SID = 20200000;

Deno.test("ScoreStore.record() keeps only the best score per student and task", async () => {
  await using dir = await tempDir();
  await using store = await ScoreStore.open(`${dir.path}/scores.db`);
  assert.deepEqual(await store.record(SID, 1, 20), { best: 20, improved: true });
  assert.deepEqual(await store.record(SID, 1, 50), { best: 50, improved: true });
  assert.deepEqual(await store.record(SID, 1, 35), { best: 50, improved: false });
  assert.deepEqual(await store.record(SID, 1, 50), { best: 50, improved: false });
  assert.deepEqual(await store.record(SID, 2, 10), { best: 10, improved: true });
  assert.deepEqual(await store.record(20209999, 1, 0), { best: 0, improved: true });
  const rows = (await store.rows()).map(({ studentId, task, best, last, attempts }) => ({
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
  await assert.rejects(store.record(SID, 1, -1), { name: "RangeError" });
});

Deno.test("ScoreStore.rows() filters by task and by student id prefix", async () => {
  await using store = await ScoreStore.open(":memory:");
  for (const [sid, task] of [[20200001, 1], [20200001, 2], [20210002, 1], [20200003, 2]]) {
    await store.record(sid!, task as 1 | 2, 10);
  }
  const ids = async (filter: Parameters<ScoreStore["rows"]>[0]) =>
    (await store.rows(filter)).map((row) => `${row.studentId}/${row.task}`);
  assert.deepEqual(await ids({ task: 1 }), ["20200001/1", "20210002/1"]);
  assert.deepEqual(await ids({ idPrefix: "2021" }), ["20210002/1"]);
  assert.deepEqual(await ids({ idPrefix: "2020", task: 2 }), ["20200001/2", "20200003/2"]);
  // LIKE wildcards in a prefix match themselves only.
  assert.deepEqual(await ids({ idPrefix: "2020_" }), []);
});

Deno.test("ScoreStore.open() keeps scores across reopening, in WAL mode", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/scores.db`;
  {
    await using store = await ScoreStore.open(path);
    await store.record(SID, 1, 45);
  }
  await using store = await ScoreStore.open(path);
  assert.equal(await store.best(SID, 1), 45);
  const wal = await Deno.stat(`${path}-wal`).then(() => true, () => false);
  assert.equal(wal, true);
});

Deno.test("ScoreStore.open() rejects a path it cannot open, saying which", async () => {
  await assert.rejects(ScoreStore.open("/nonexistent/dir/scores.db"), {
    name: "ScoreStoreError",
    message: /^Cannot open score database '\/nonexistent\/dir\/scores\.db': unable to open/,
  });
});

Deno.test("ScoreStore.record() never loses the higher score across interleaved connections", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/scores.db`;
  const stores = await Promise.all(
    [1, 2, 3].map(() => ScoreStore.open(path, { synchronous: "normal" })),
  );
  try {
    const scores = Array.from({ length: 300 }, (_, i) => (i * 37) % 51);
    await Promise.all(scores.map((score, i) => stores[i % 3]!.record(SID, 1, score)));
    assert.equal(await stores[1]!.best(SID, 1), Math.max(...scores));
    assert.equal((await stores[2]!.rows())[0]?.attempts, 300);
  } finally {
    await Promise.all(stores.map((store) => store.close()));
  }
});

Deno.test("ScoreStore.record() rejects 'database or disk is full' and stores nothing then", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/scores.db`;
  const acknowledged: number[] = [];
  let failure: unknown;
  // As many pages as the empty schema takes (every table and key): no room to grow.
  await (await ScoreStore.open(`${dir.path}/empty.db`)).close();
  const pages = (() => {
    using empty = new DatabaseSync(`${dir.path}/empty.db`, { readOnly: true });
    return (empty.prepare("PRAGMA page_count").get() as { page_count: number }).page_count;
  })();
  {
    await using store = await ScoreStore.open(path, { maxBytes: pages * 4096 });
    for (let sid = 20200000; sid < 20201000 && failure === undefined; sid++) {
      await store.record(sid, 1, 50).then(() => acknowledged.push(sid), (e) => (failure = e));
    }
    assert.ok(failure instanceof Error, "the database never filled up");
    assert.equal(failure.name, "ScoreStoreError");
    assert.match(failure.message, /database or disk is full/);
    // The store stays usable: a student already in the table can improve.
    assert.deepEqual(await store.record(acknowledged[0]!, 1, 50), { best: 50, improved: false });
  }
  // Every acknowledged score is in the file, and nothing else.
  using db = new DatabaseSync(path, { readOnly: true });
  const ids = db.prepare("SELECT student_id AS id FROM scores ORDER BY id").all().map((r) => r.id);
  assert.deepEqual(ids, acknowledged);
});

Deno.test("ScoreStore.backup() writes a consistent copy that opens as a score database", async () => {
  await using dir = await tempDir();
  await using store = await ScoreStore.open(`${dir.path}/scores.db`);
  await store.record(SID, 2, 33);
  await store.backup(`${dir.path}/copy.db`);
  await assert.rejects(store.backup(`${dir.path}/copy.db`), { name: "ScoreStoreError" });
  await using copy = await ScoreStore.open(`${dir.path}/copy.db`);
  assert.equal(await copy.best(SID, 2), 33);
});

Deno.test("ScoreStore.record() keeps the best under concurrent writes from two processes", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/scores.db`;
  await (await ScoreStore.open(path)).close();
  const writer = (offset: number) =>
    runToEnd(Deno.execPath(), [
      "eval",
      `import { ScoreStore } from "${new URL("../../lib/scores/score_store.ts", import.meta.url)}";
       await using store = await ScoreStore.open(${
        JSON.stringify(path)
      }, { synchronous: "normal" });
       for (let i = 0; i < 200; i++) await store.record(${SID}, 2, (i * 7 + ${offset}) % 40);`,
    ]);
  const [a, b] = await Promise.all([writer(0), writer(3)]);
  assert.deepEqual([a.code, a.stderr, b.code, b.stderr], [0, "", 0, ""]);
  await using store = await ScoreStore.open(path);
  assert.equal(await store.best(SID, 2), 39);
  assert.equal((await store.rows())[0]?.attempts, 400);
});

Deno.test("ScoreStore.close() is idempotent and later calls reject", async () => {
  const store = await ScoreStore.open(":memory:");
  await store.close();
  await store.close();
  await assert.rejects(store.best(SID, 1), { message: /the store is closed/ });
});
