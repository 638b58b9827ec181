import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { ScoreStore } from "../../lib/scores/score_store.ts";
import { tempDir } from "../helpers/processes.ts";

async function sha256(path: string): Promise<string> {
  return createHash("sha256").update(await Deno.readFile(path)).digest("hex");
}

/**
 * A score database of `rows` students, closed cleanly (no -wal left). Its
 * commits skip the disk sync (`synchronous: "normal"`): the file's bytes are
 * the same, and 600 synced commits cost most of this file's time.
 */
async function filledDatabase(path: string, rows: number): Promise<void> {
  await using store = await ScoreStore.open(path, { synchronous: "normal" });
  for (let i = 0; i < rows; i++) await store.record(20200000 + i, 1, i % 51);
}

/** Opening `path` is refused, saying why, and leaves the file byte-for-byte as it was. */
async function assertRefused(path: string, why: RegExp): Promise<void> {
  const before = await sha256(path);
  await assert.rejects(ScoreStore.open(path), (error: Error) => {
    assert.equal(error.name, "ScoreStoreError");
    assert.match(error.message, /^Cannot open score database '[^']+': it(s)? /);
    assert.match(error.message, why);
    assert.match(error.message, /It was not changed\. Restore it from a backup/);
    return true;
  });
  assert.equal(await sha256(path), before);
}

Deno.test("ScoreStore.open() refuses a database with garbage table pages, unchanged", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/scores.db`;
  await filledDatabase(path, 600);
  const bytes = await Deno.readFile(path);
  assert.ok(bytes.length >= 4 * 4096, `only ${bytes.length} bytes`);
  for (let i = 4096 + 100; i < 3 * 4096; i++) bytes[i] = (i * 7919) & 0xff;
  await Deno.writeFile(path, bytes);
  await assertRefused(path, /damaged \(SQLite quick_check: /);
});

Deno.test("ScoreStore.open() refuses a database whose tail was zeroed, unchanged", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/scores.db`;
  await filledDatabase(path, 600);
  const bytes = await Deno.readFile(path);
  bytes.fill(0, bytes.length - 2 * 4096);
  await Deno.writeFile(path, bytes);
  await assertRefused(path, /damaged/);
});

Deno.test("ScoreStore.open() refuses another program's database with a 'scores' table, unchanged", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/other.db`;
  {
    using db = new DatabaseSync(path);
    db.exec("CREATE TABLE scores (name TEXT, points REAL); INSERT INTO scores VALUES ('a', 1)");
  }
  await assertRefused(path, /'scores' table is not this toolkit's \(columns name, points;/);
  using db = new DatabaseSync(path, { readOnly: true });
  const mode = db.prepare("PRAGMA journal_mode").get() as { journal_mode: string };
  assert.equal(mode.journal_mode, "delete");
});

Deno.test("ScoreStore.open() refuses a file that is not a database, unchanged", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/notes.txt`;
  await Deno.writeTextFile(path, "student 20200000 got 50\n".repeat(300));
  await assertRefused(path, /cannot be read as a database|damaged/);
});

Deno.test("ScoreStore.open() accepts a sound database and another program's without 'scores'", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/scores.db`;
  await filledDatabase(path, 10);
  {
    await using store = await ScoreStore.open(path);
    assert.equal(await store.best(20200009, 1), 9);
  }
  const other = `${dir.path}/other.db`;
  {
    using db = new DatabaseSync(other);
    db.exec("CREATE TABLE notes (text TEXT)");
  }
  await using store = await ScoreStore.open(other);
  assert.equal(await store.best(20200000, 1), undefined);
});

Deno.test("ScoreStore.record() past its wait limit says earlier work outlasted it, not 'queue too long'", async () => {
  await using store = await ScoreStore.open(":memory:", { waitMs: 0 });
  await assert.rejects(store.record(20200000, 1, 50), {
    name: "ScoreStoreError",
    message: "gave up waiting for the database: earlier work on it outlasted the wait limit " +
      "(a slow or stalled disk?)",
  });
  assert.deepEqual(await store.rows(), []);
});

Deno.test("ScoreStore.open() refuses a database whose -shm or -wal file is unusable, unchanged", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/scores.db`;
  await filledDatabase(path, 10);
  const before = await sha256(path);
  for (const suffix of ["-shm", "-wal"]) {
    await Deno.mkdir(`${path}${suffix}`);
    await assert.rejects(ScoreStore.open(path), {
      name: "ScoreStoreError",
      message: new RegExp(
        `^Cannot open score database '[^']+': SQLite's ${suffix.slice(1)} file .*${suffix} is ` +
          "unusable: it is not a regular file\\. Nothing was changed\\.",
      ),
    });
    await Deno.remove(`${path}${suffix}`);
  }
  assert.equal(await sha256(path), before);
  await using store = await ScoreStore.open(path);
  assert.equal(await store.best(20200009, 1), 9);
});
