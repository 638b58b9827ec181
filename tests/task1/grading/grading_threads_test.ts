import assert from "node:assert/strict";
import { runDecryptClient } from "../../../lib/task1/client/decrypt_client.ts";
import { type GradingService, serveGrading } from "../../../lib/task1/grading/grading_server.ts";
import { ScoreStore } from "../../../lib/scores/score_store.ts";

const FIRST_SID = 20200000;
const linux = Deno.build.os === "linux";

/** Runs `count` sbmt sessions at once, student ids from `firstSid`. */
function submitAll(server: GradingService, firstSid: number, count: number) {
  return Promise.all(Array.from({ length: count }, (_, i) =>
    runDecryptClient({
      hostname: "127.0.0.1",
      port: server.port,
      studentId: firstSid + i,
      keyword: "sbmt",
    })));
}

Deno.test({
  name: "serveGrading({ workers: 2 }) grades sessions on both threads and stores each score once",
  ignore: !linux,
  fn: async () => {
    await using store = await ScoreStore.open(":memory:");
    const recorded: number[] = [];
    const counted = {
      record: (sid: number, task: 1 | 2, score: number) => {
        recorded.push(sid);
        return store.record(sid, task, score);
      },
    };
    await using server = serveGrading({
      hostname: "127.0.0.1",
      workers: 2,
      store: counted,
      log() {},
    });
    assert.equal(server.threads, 2);
    // The second thread starts with the first client; waves go on until it
    // has graded some (each wave is 32 sessions; bounded, never timed). In a
    // fresh clone the thread first compiles its modules, seconds under load.
    let sid = FIRST_SID;
    const results = [];
    for (let wave = 0; wave < 500 && (wave < 2 || server.threadSessions === 0); wave++) {
      results.push(...await submitAll(server, sid, 32));
      sid += 32;
    }
    assert.ok(server.threadSessions > 0, "the second listener thread graded no session");
    assert.ok(server.threadSessions < results.length, "the main thread graded no session");
    for (const result of results) {
      assert.deepEqual([result.keyword, result.score], ["GOOD", 50], result.message);
    }
    const expected = Array.from({ length: sid - FIRST_SID }, (_, i) => FIRST_SID + i);
    assert.deepEqual(recorded.toSorted((a, b) => a - b), expected, "one record per session");
    const best = await Promise.all(expected.map((id) => store.best(id, 1)));
    assert.deepEqual(best, expected.map(() => 50));
  },
});

Deno.test({
  name: "serveGrading({ workers: 2 }) keeps maxConnections exact over both threads",
  ignore: !linux,
  fn: async () => {
    const LIMIT = 6;
    const peers: string[] = [];
    let onStart = () => {};
    await using server = serveGrading({
      hostname: "127.0.0.1",
      workers: 2,
      maxConnections: LIMIT,
      timeoutMs: 60_000,
      onStart: (peer) => {
        peers.push(peer);
        onStart();
      },
      log() {},
    });
    // Start both threads and wait until the second one grades.
    let sid = FIRST_SID;
    for (let wave = 0; wave < 500 && server.threadSessions === 0; wave++) {
      await submitAll(server, sid, 16);
      sid += 16;
    }
    assert.ok(server.threadSessions > 0, "the second listener thread graded no session");
    // The waves' sessions end (each thread gives back its places).
    await waitUntil(() => server.active === 0);
    // LIMIT connections that send nothing hold every place, on either thread.
    const started = peers.length;
    const allStarted = new Promise<void>((resolve) => {
      onStart = () => peers.length - started === LIMIT && resolve();
    });
    const holders = await Promise.all(
      Array.from(
        { length: LIMIT },
        () => Deno.connect({ hostname: "127.0.0.1", port: server.port }),
      ),
    );
    try {
      await allStarted;
      // Every connection past them is refused, whichever thread takes it.
      const refused = await Promise.all(Array.from({ length: 3 * LIMIT }, () =>
        runDecryptClient({
          hostname: "127.0.0.1",
          port: server.port,
          studentId: FIRST_SID,
          keyword: "test",
        })));
      for (const result of refused) {
        assert.deepEqual([result.keyword, result.score], ["FAIL", 0]);
        assert.match(result.message, /^SERVER BUSY: 6 connections are being graded/);
      }
      assert.equal(peers.length - started, LIMIT, "a connection past the limit was graded");
    } finally {
      for (const holder of holders) holder.close();
    }
  },
});

/** Waits for `ready()` to come true, checking every 10 ms, at most 200 times. */
async function waitUntil(ready: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(ready(), "the condition never came true");
}
