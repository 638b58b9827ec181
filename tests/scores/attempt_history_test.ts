import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { ATTEMPTS_SCHEMA, writeAttempt } from "../../lib/scores/attempt_history.ts";
import { ScoreStore } from "../../lib/scores/score_store.ts";
import { tempDir } from "../helpers/processes.ts";

const SID = 20200000;

Deno.test("ScoreStore.recordAttempt() keeps the history across a restart, with every field", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/scores.db`;
  {
    await using store = await ScoreStore.open(path);
    await store.recordAttempt({
      task: 1,
      studentId: SID,
      keyword: "sbmt",
      peer: "127.0.0.1:5000",
      score: 35,
      message: "DECRYPTED DATA MISMATCH: byte 3",
      diagnosis: { id: "task1.xor.wrong-key", message: "XORed with the wrong key" },
      best: 35,
      at: "2026-12-05T02:00:00.000Z",
    });
    await store.recordAttempt({
      task: 2,
      studentId: SID,
      peer: "127.0.0.1:1234",
      score: 40,
      message: "Fib 4, Fact 4, Word 4",
    });
  }
  await using store = await ScoreStore.open(path);
  const [second, first] = await store.attempts();
  assert.deepEqual(first, {
    id: 1,
    task: 1,
    studentId: SID,
    keyword: "sbmt",
    peer: "127.0.0.1:5000",
    score: 35,
    outOf: 50,
    verdict: "FAIL",
    message: "DECRYPTED DATA MISMATCH: byte 3",
    diagnosis: "task1.xor.wrong-key",
    diagnosisMessage: "XORed with the wrong key",
    best: 35,
    reason: "task1.xor.wrong-key",
    at: "2026-12-05T02:00:00.000Z",
  });
  assert.deepEqual([second!.task, second!.outOf, second!.verdict, second!.reason], [
    2,
    40,
    "GOOD",
    null,
  ]);
});

Deno.test("ScoreStore.recordAttempt() with keep prunes old attempts of that student and task only", async () => {
  await using store = await ScoreStore.open(":memory:");
  await store.recordAttempt({ task: 2, studentId: SID, peer: "p", score: 1, message: "x" });
  for (let score = 0; score <= 50; score += 10) {
    await store.record(SID, 1, score);
    await store.recordAttempt({ task: 1, studentId: SID, peer: "p", score, message: "x" }, 3);
  }
  const task1 = await store.attempts({ studentId: SID, task: 1 });
  assert.deepEqual(task1.map((a) => a.score), [50, 40, 30]);
  assert.equal((await store.attempts({ task: 2 })).length, 1);
  assert.equal(await store.best(SID, 1), 50);
  assert.equal((await store.rows({ task: 1 }))[0]?.attempts, 6);
});

Deno.test("ScoreStore.pruneAttempts() keeps the newest N per student and task; best scores stay", async () => {
  await using store = await ScoreStore.open(":memory:");
  for (const sid of [SID, SID + 1]) {
    for (const score of [50, 0, 10, 20]) {
      await store.record(sid, 1, score);
      await store.recordAttempt({ task: 1, studentId: sid, peer: "p", score, message: "x" });
    }
  }
  for (let i = 0; i < 3; i++) {
    await store.recordAttempt({ task: 1, studentId: null, peer: "p", score: 0, message: "bad" });
  }
  assert.equal(await store.pruneAttempts(2), 2 + 2 + 1);
  const kept = (await store.attempts()).map((a) => `${a.studentId}:${a.score}`);
  assert.deepEqual(kept, [
    "null:0",
    "null:0",
    `${SID + 1}:20`,
    `${SID + 1}:10`,
    `${SID}:20`,
    `${SID}:10`,
  ]);
  assert.equal(await store.best(SID, 1), 50);
  assert.equal(await store.best(SID + 1, 1), 50);
  await assert.rejects(store.pruneAttempts(0), RangeError);
});

Deno.test("ScoreStore.recordAttempt() escapes peer text and caps a flood of a message", async () => {
  await using store = await ScoreStore.open(":memory:");
  await store.recordAttempt({
    task: 1,
    studentId: null,
    keyword: "\x1b[2J",
    peer: "10.0.0.1:1\u202e",
    score: 0,
    message: "raw \x1b[2J " + "A".repeat(100_000),
  });
  const [a] = await store.attempts();
  assert.equal(a!.keyword, "\\x1b[2J");
  assert.equal(a!.peer, "10.0.0.1:1\\u{202e}");
  assert.ok(a!.message.startsWith("raw \\x1b[2J AAA"));
  assert.equal(a!.message.length, 2000);
});

Deno.test("ScoreStore.open() adds the history to a database made before it and keeps its scores", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/old.db`;
  {
    using old = new DatabaseSync(path);
    old.exec(`CREATE TABLE scores (
      student_id INTEGER NOT NULL, task INTEGER NOT NULL CHECK (task IN (1, 2)),
      best INTEGER NOT NULL CHECK (best >= 0), last INTEGER NOT NULL CHECK (last >= 0),
      attempts INTEGER NOT NULL DEFAULT 1, best_attempt INTEGER NOT NULL DEFAULT 1,
      best_at TEXT NOT NULL, last_at TEXT NOT NULL, PRIMARY KEY (student_id, task)) STRICT`);
    old.exec(`INSERT INTO scores VALUES (${SID}, 1, 45, 10, 7, 3, 'a', 'b')`);
  }
  {
    await using store = await ScoreStore.open(path);
    await store.recordAttempt({ task: 1, studentId: SID, peer: "p", score: 10, message: "x" });
  }
  await using store = await ScoreStore.open(path);
  assert.deepEqual((await store.rows()).map((r) => [r.best, r.last, r.attempts]), [[45, 10, 7]]);
  assert.equal((await store.attempts()).length, 1);
});

Deno.test("writeAttempt() skips its own disk sync but leaves the connection syncing scores (FULL)", () => {
  using db = new DatabaseSync(":memory:");
  db.exec(ATTEMPTS_SCHEMA);
  db.exec("PRAGMA synchronous = FULL");
  const level = () =>
    (db.prepare("PRAGMA synchronous").get() as { synchronous: number }).synchronous;
  writeAttempt(db, { task: 1, studentId: SID, peer: "p", score: 0, message: "x" }, undefined);
  assert.equal(level(), 2);
  // A failing write restores it too.
  assert.throws(() => writeAttempt(db, { task: 3 as 1, peer: "p", score: 0, message: "x" }, 1));
  db.exec("DROP TABLE attempts");
  assert.throws(() => writeAttempt(db, { task: 1, peer: "p", score: 0, message: "x" }, 1));
  assert.equal(level(), 2);
});
