import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import type { BatchRecord } from "../../lib/scores/batch_results.ts";
import { ScoreStore } from "../../lib/scores/score_store.ts";
import { tempDir } from "../helpers/processes.ts";

function record(studentId: number, task1: number, task2: number): BatchRecord {
  return {
    studentId,
    task1,
    task2,
    total: task1 + task2,
    items: [
      { task: 1, name: "checksum", points: Math.min(10, task1), outOf: 10 },
      { task: 2, name: "FIBONACCI", points: Math.min(10, task2), outOf: 10 },
    ],
    problems: task2 === 0 ? ["server.py is missing"] : [],
    diagnosis: task1 < 50 ? "task1.checksum.not-complemented: checksum off by one" : null,
    gradedAt: "2026-12-05T02:30:00.000Z",
  };
}

Deno.test("ScoreStore.recordBatch() stores records that batchResults() reads back after reopening", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/scores.db`;
  const records = [record(20200002, 35, 0), record(20200001, 50, 40)];
  {
    await using store = await ScoreStore.open(path);
    await store.record(20200001, 1, 50);
    await store.recordBatch(records);
  }
  await using store = await ScoreStore.open(path);
  assert.deepEqual(await store.batchResults(), [records[1], records[0]]);
  // Registered scores are untouched.
  assert.deepEqual((await store.rows()).map((r) => [r.studentId, r.task, r.best]), [
    [20200001, 1, 50],
  ]);
});

Deno.test("ScoreStore.recordBatch() replaces a student's earlier record on a new run", async () => {
  await using store = await ScoreStore.open(":memory:");
  await store.recordBatch([record(20200001, 50, 40), record(20200002, 10, 10)]);
  await store.recordBatch([record(20200001, 20, 0)]);
  const results = await store.batchResults();
  assert.deepEqual(results.map((r) => [r.studentId, r.total]), [[20200001, 20], [20200002, 20]]);
});

Deno.test("ScoreStore.recordBatch() rejects a malformed record and stores none of the run", async () => {
  await using store = await ScoreStore.open(":memory:");
  const bad = [
    { ...record(20200001, 50, 40), total: 80 },
    { ...record(1234, 0, 0) },
    { ...record(20200001, 50, 40), task1: 49.5, total: 89.5 },
    { ...record(20200001, 50, 40), problems: [3] as unknown as string[] },
    { ...record(20200001, 50, 40), gradedAt: "yesterday" },
  ];
  for (const one of bad) {
    await assert.rejects(store.recordBatch([record(20200009, 1, 1), one]), /batch record for/);
  }
  assert.deepEqual(await store.batchResults(), []);
});

Deno.test("ScoreStore.open() adds the batch table to a database made before it, keeping scores", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/old.db`;
  {
    using old = new DatabaseSync(path);
    old.exec(`CREATE TABLE scores (
      student_id INTEGER NOT NULL, task INTEGER NOT NULL CHECK (task IN (1, 2)),
      best INTEGER NOT NULL CHECK (best >= 0), last INTEGER NOT NULL CHECK (last >= 0),
      attempts INTEGER NOT NULL DEFAULT 1, best_attempt INTEGER NOT NULL DEFAULT 1,
      best_at TEXT NOT NULL, last_at TEXT NOT NULL, PRIMARY KEY (student_id, task)) STRICT`);
    old.exec(`INSERT INTO scores VALUES (20200001, 2, 33, 12, 4, 2, 'a', 'b')`);
  }
  await using store = await ScoreStore.open(path);
  assert.equal(await store.best(20200001, 2), 33);
  await store.recordBatch([record(20200001, 50, 33)]);
  assert.equal((await store.batchResults())[0]?.total, 83);
});
