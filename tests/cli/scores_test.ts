import assert from "node:assert/strict";
import { ScoreStore } from "../../lib/scores/score_store.ts";
import { runProgram, tempDir } from "../helpers/processes.ts";
import { scoresMain } from "../../lib/cli/scores.ts";

async function sampleDb(path: string): Promise<void> {
  await using store = await ScoreStore.open(path);
  await store.record(20200001, 1, 35);
  await store.record(20200001, 1, 50);
  await store.record(20200001, 2, 40);
  await store.record(20210002, 1, 10);
}

async function run(...args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await scoresMain(args, (line) => lines.push(line));
  return { code, out: lines.join("\n") };
}

Deno.test("scoresMain() --csv prints a header row and one quoted CRLF line per student and task", async () => {
  await using dir = await tempDir();
  const db = `${dir.path}/scores.db`;
  await sampleDb(db);
  const { code, out } = await run(`--db=${db}`, "--csv");
  assert.equal(code, 0);
  const lines = `${out}\n`.split("\r\n");
  assert.equal(lines.pop(), "");
  assert.equal(lines[0], "student_id,task,best,out_of,last,attempts,best_at,last_at");
  assert.deepEqual(lines.slice(1).map((line) => line.split(",").slice(0, 6).join(",")), [
    "20200001,1,50,50,50,2",
    "20200001,2,40,40,40,1",
    "20210002,1,10,50,10,1",
  ]);
});

Deno.test("scoresMain() --json filters by --only-task and --prefix", async () => {
  await using dir = await tempDir();
  const db = `${dir.path}/scores.db`;
  await sampleDb(db);
  const task1 = JSON.parse((await run(`--db=${db}`, "--json", "--only-task=1")).out);
  assert.deepEqual(task1.map((r: { student_id: string }) => r.student_id), [
    "20200001",
    "20210002",
  ]);
  const prefixed = JSON.parse((await run(`--db=${db}`, "--json", "--prefix=2021")).out);
  assert.deepEqual(prefixed.map((r: { student_id: string; best: number }) => r.best), [10]);
  const table = (await run(`--db=${db}`, "--prefix=2020", "--only-task=2")).out;
  assert.equal(table.split("\n").length, 2);
  assert.match(table, /^20200001 +2 +40\/40 /m);
});

Deno.test("scoresMain() rejects --csv with --json and a prefix that is not digits", async () => {
  await assert.rejects(run("--csv", "--json"), { name: "UsageError", message: /one of --csv/ });
  await assert.rejects(run("--prefix=20%"), { name: "UsageError", message: /--prefix must be/ });
});

Deno.test("server.ts scores --backup copies the database, and the copy lists the same scores", async () => {
  await using dir = await tempDir();
  const db = `${dir.path}/scores.db`;
  await sampleDb(db);
  const backup = await runProgram("server.ts", "scores", `--db=${db}`, `--backup=${dir.path}/b.db`);
  assert.equal(backup.code, 0, backup.stderr);
  assert.match(backup.stdout, /^Backed up .*scores\.db to .*b\.db$/m);
  const [original, copy] = await Promise.all([
    runProgram("server.ts", "scores", `--db=${db}`),
    runProgram("server.ts", "scores", `--db=${dir.path}/b.db`),
  ]);
  assert.equal(copy.code, 0, copy.stderr);
  assert.equal(copy.stdout, original.stdout);
  assert.match(copy.stdout, /^20210002 +1 +10\/50 /m);
  const again = await runProgram("server.ts", "scores", `--db=${db}`, `--backup=${dir.path}/b.db`);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists/);
});

Deno.test("scoresMain() --backup names the file it cannot write, and takes no export flags", async () => {
  await using dir = await tempDir();
  const db = `${dir.path}/scores.db`;
  await sampleDb(db);
  await assert.rejects(run(`--db=${db}`, `--backup=${dir.path}/no/such/dir/b.db`), {
    name: "ScoreStoreError",
    message: new RegExp(`^cannot write backup file '${dir.path}/no/such/dir/b\\.db': `),
  });
  await assert.rejects(run(`--db=${db}`, `--backup=${dir.path}/b.db`, "--csv"), {
    name: "UsageError",
    message: "--backup copies the whole database; it does not go with --csv",
  });
  await assert.rejects(run(`--db=${db}`, `--backup=${dir.path}/b.db`, "--only-task=1"), {
    message: /does not go with --only-task$/,
  });
});

Deno.test("scoresMain() --history prints the attempts kept; --keep-attempts prunes them, best scores stay", async () => {
  await using dir = await tempDir();
  const db = `${dir.path}/scores.db`;
  {
    await using store = await ScoreStore.open(db);
    for (const score of [50, 10, 20]) {
      await store.record(20200001, 1, score);
      await store.recordAttempt({
        task: 1,
        studentId: 20200001,
        peer: "127.0.0.1:5000",
        score,
        message: score === 50 ? "DECRYPTED DATA MATCH" : "DECRYPTED DATA MISMATCH: byte 3",
        at: `2026-12-05T02:0${score / 10}:00.000Z`,
      });
    }
    await store.recordAttempt({
      task: 2,
      studentId: 20210002,
      peer: "127.0.0.1:1234",
      score: 40,
      message: "Fib 4, Fact 4, Word 4",
    });
  }
  const history = await run(`--db=${db}`, "--history", "--student=20200001");
  assert.equal(history.code, 0);
  assert.deepEqual(history.out.split("\n"), [
    "2026-12-05 02:02:00  T1  20200001  20/50 FAIL  127.0.0.1:5000  DECRYPTED DATA MISMATCH: byte 3",
    "2026-12-05 02:01:00  T1  20200001  10/50 FAIL  127.0.0.1:5000  DECRYPTED DATA MISMATCH: byte 3",
    "2026-12-05 02:05:00  T1  20200001  50/50 GOOD  127.0.0.1:5000  DECRYPTED DATA MATCH",
  ]);
  const two = JSON.parse((await run(`--db=${db}`, "--history", "--json", "--only-task=2")).out);
  assert.deepEqual(
    two.map((a: { studentId: number; verdict: string }) => [a.studentId, a.verdict]),
    [
      [20210002, "GOOD"],
    ],
  );
  const pruned = await run(`--db=${db}`, "--keep-attempts=1");
  assert.deepEqual(pruned, {
    code: 0,
    out: "Pruned 2 attempts; kept the newest 1 per student and task",
  });
  const after = await run(`--db=${db}`, "--history", "--only-task=1");
  assert.equal(after.out.split("\n").length, 1);
  assert.match((await run(`--db=${db}`)).out, /^20200001 +1 +50\/50 +20 +3 /m);
  await assert.rejects(run(`--db=${db}`, "--keep-attempts=1", "--history"), {
    name: "UsageError",
  });
});
