// The score store behind a real grading server: what clients are told when
// storing fails or waits, and that no client waits for another's store.
import assert from "node:assert/strict";
import { runDecryptClient } from "../../lib/task1/client/decrypt_client.ts";
import { serveGrading } from "../../lib/task1/grading/grading_server.ts";
import { encodePacket } from "../../lib/task1/protocol/packet.ts";
import { ScoreStore } from "../../lib/scores/score_store.ts";
import { runPeer } from "../helpers/task1_peer.ts";
import { tempDir } from "../helpers/processes.ts";

const SID = 20200000;
const REGISTERED = "DECRYPTED DATA MATCH & YOUR POINTS ARE REGISTERED ON DATABASE";

Deno.test("serveGrading() keeps the best of concurrent submissions for one student", async () => {
  await using dir = await tempDir();
  await using store = await ScoreStore.open(`${dir.path}/scores.db`);
  await using server = serveGrading({ hostname: "127.0.0.1", store, log: () => {} });
  const good = () => runDecryptClient({ hostname: "127.0.0.1", port: server.port, studentId: SID });
  const corrupt = () =>
    runPeer(server.port, { corruptAt: 100 }).then((run) => ({ score: run.result?.sid }));
  const results = await Promise.all([corrupt(), good(), corrupt(), corrupt(), good(), corrupt()]);
  assert.deepEqual(results.map((r) => r.score), [35, 50, 35, 35, 50, 35]);
  assert.equal(await store.best(SID, 1), 50);
  assert.equal((await store.rows())[0]?.attempts, 6);
  // A later worse submission does not lower it.
  await corrupt();
  assert.equal(await store.best(SID, 1), 50);
});

Deno.test("serveGrading() with a roster refuses unknown ids and stores nothing for them", async () => {
  await using store = await ScoreStore.open(":memory:");
  const roster = new Set([20201234]);
  await using server = serveGrading({ hostname: "127.0.0.1", store, roster, log: () => {} });
  const run = (studentId: number) =>
    runDecryptClient({ hostname: "127.0.0.1", port: server.port, studentId });
  const unknown = await run(SID);
  assert.equal(unknown.score, 50);
  assert.equal(
    unknown.message,
    "DECRYPTED DATA MATCH & REGISTRATION FAIL: student id 20200000 is not on the roster",
  );
  assert.equal((await run(20201234)).message, REGISTERED);
  assert.deepEqual((await store.rows()).map((r) => [r.studentId, r.best]), [[20201234, 50]]);
});

Deno.test("serveGrading() on a full disk tells the client DATABASE ERROR, NOT STORED and logs why", async () => {
  await using dir = await tempDir();
  await using store = await ScoreStore.open(`${dir.path}/scores.db`, { maxBytes: 3 * 4096 });
  // Fill the database to its page limit.
  let sid = 20300000;
  while (await store.record(sid, 1, 10).then(() => true, () => false)) sid++;
  const lines: string[] = [];
  await using server = serveGrading({
    hostname: "127.0.0.1",
    store,
    log: (line) => lines.push(line),
  });
  const result = await runDecryptClient({
    hostname: "127.0.0.1",
    port: server.port,
    studentId: SID,
  });
  assert.equal(result.score, 50);
  assert.match(result.message, /^DECRYPTED DATA MATCH & DATABASE ERROR, NOT STORED: /);
  assert.match(result.message, /database or disk is full/);
  assert.doesNotMatch(result.message, /scores\.db/, "the client is not told server paths");
  assert.equal(await store.best(SID, 1), undefined);
  await server.close({ force: false });
  assert.equal(lines.length, 1);
  assert.match(
    lines[0]!,
    /sid 20200000 sbmt: 50\/50 GOOD: .*NOT STORED: .*database or disk is full/,
  );
});

/** Another process holding the database's write lock until released (or 10 s). */
async function holdLock(path: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { DatabaseSync } from "node:sqlite";
       const db = new DatabaseSync(${JSON.stringify(path)});
       db.exec("BEGIN EXCLUSIVE");
       console.log("locked");
       await Promise.race([
         Deno.stdin.readable.pipeTo(new WritableStream()),
         new Promise((resolve) => setTimeout(resolve, 10_000)),
       ]);
       db.exec("ROLLBACK");
       db.close();
       Deno.exit(0);`,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const first = await reader.read();
  assert.equal(first.value?.trim(), "locked");
  let released = false;
  const status = child.status.then((status) => (released = true, status));
  return {
    get released() {
      return released;
    },
    async release() {
      await child.stdin.close().catch(() => {});
      await reader.cancel();
      assert.equal((await status).code, 0);
    },
  };
}

/** A store that says when `record` is first called. */
function watched(store: ScoreStore): { store: ScoreStore; recording: Promise<void> } {
  const { promise, resolve } = Promise.withResolvers<void>();
  const proxy = {
    record(...args: Parameters<ScoreStore["record"]>) {
      resolve();
      return store.record(...args);
    },
  };
  return { store: proxy as unknown as ScoreStore, recording: promise };
}

Deno.test("serveGrading() serves other clients while another process holds the database lock; sbmt waits, then stores", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/scores.db`;
  await using real = await ScoreStore.open(path, { waitMs: 8_000 });
  const { store, recording } = watched(real);
  await using server = serveGrading({ hostname: "127.0.0.1", store, log: () => {} });
  const lock = await holdLock(path);
  let submitted = false;
  const submit = runDecryptClient({ hostname: "127.0.0.1", port: server.port, studentId: SID })
    .finally(() => (submitted = true));
  await recording;
  // While the sbmt client waits for the lock, others are answered at once.
  const [test, bad] = await Promise.all([
    runDecryptClient({ hostname: "127.0.0.1", port: server.port, studentId: SID, keyword: "test" }),
    runPeer(server.port, {
      header: encodePacket({ flag: 0, keyword: "sbmt", sid: SID, data: new Uint8Array() }),
    }),
  ]);
  assert.equal(test.message, "DECRYPTED DATA MATCH (test run with keyword 'test': not stored)");
  assert.equal(bad.result?.keyword, "FAIL");
  assert.match(bad.message, /^Invalid header: flag 0/);
  assert.equal(lock.released, false, "answered only after the lock was released");
  assert.equal(submitted, false, "the sbmt client was answered while the lock was held");
  await lock.release();
  const stored = await submit;
  assert.equal(stored.message, REGISTERED);
  assert.equal(await real.best(SID, 1), 50);
});

Deno.test("serveGrading() tells an sbmt client NOT STORED once the lock wait runs out", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/scores.db`;
  await using store = await ScoreStore.open(path, { waitMs: 200 });
  await using server = serveGrading({ hostname: "127.0.0.1", store, log: () => {} });
  const lock = await holdLock(path);
  const result = await runDecryptClient({
    hostname: "127.0.0.1",
    port: server.port,
    studentId: SID,
  });
  assert.equal(lock.released, false, "answered only after the lock was released");
  await lock.release();
  assert.match(
    result.message,
    /^DECRYPTED DATA MATCH & DATABASE ERROR, NOT STORED: .*database is locked by another connection/,
  );
  assert.equal(await store.best(SID, 1), undefined);
});
