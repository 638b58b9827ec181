import assert from "node:assert/strict";
import { ScoreStore } from "../../lib/scores/score_store.ts";
import { staffState, studentKey, studentView } from "../../lib/scores/staff_state.ts";

const attempt = (studentId: number | null, task: 1 | 2, score: number, message = "x") => ({
  task,
  studentId,
  peer: "127.0.0.1:9",
  score,
  message,
});

Deno.test("staffState() with maskIds masks ids in messages, mistyped ones too, and nothing shorter", async () => {
  await using store = await ScoreStore.open(":memory:");
  const finish = (message: string) => store.recordAttempt(attempt(null, 1, 0, message));
  await finish("Invalid header: sid 202000001 is not an 8-digit student id");
  await finish("Invalid header: sid 2020001 is not an 8-digit student id");
  await finish("Reply packet 1: Invalid header: flag 15475, expected 0 (more) or 1 (last)");
  const masked = (await staffState(store, { maskIds: true })).attempts.map((a) => a.message);
  assert.deepEqual(masked, [
    "Reply packet 1: Invalid header: flag 15475, expected 0 (more) or 1 (last)",
    "Invalid header: sid ****001 is not an 8-digit student id",
    "Invalid header: sid ******001 is not an 8-digit student id",
  ]);
  const plain = (await staffState(store)).attempts.map((a) => a.message);
  assert.match(plain[2]!, /sid 202000001 is not/);
});

Deno.test("staffState() sums up each task: full marks, with a score, roster without, distribution", async () => {
  await using store = await ScoreStore.open(":memory:");
  await store.record(20200001, 1, 50);
  await store.record(20200002, 1, 35);
  await store.record(20200002, 2, 40);
  await store.record(20200003, 1, 4);
  const roster = new Set([20200001, 20200002, 20200004, 20200005]);
  const state = await staffState(store, { roster });
  const [one, two] = state.summary;
  assert.deepEqual([one!.fullMarks, one!.withScore, one!.rosterWithout], [1, 3, 2]);
  assert.deepEqual([two!.fullMarks, two!.withScore, two!.rosterWithout], [1, 1, 3]);
  assert.deepEqual(one!.distribution, [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1]);
  assert.deepEqual(two!.distribution, [0, 0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(state.missing.map((m) => m.studentId), ["20200004", "20200005"]);
  assert.equal(state.rosterSize, 4);
  const noRoster = await staffState(store);
  assert.equal(noRoster.summary[0]!.rosterWithout, null);
});

Deno.test("staffState() honours task, id prefix and verdict, and counts failure reasons", async () => {
  await using store = await ScoreStore.open(":memory:");
  await store.record(20200001, 1, 50);
  await store.record(20210001, 2, 10);
  await store.recordAttempt(attempt(20200001, 1, 50));
  await store.recordAttempt(attempt(20210001, 2, 10, "Fib 0, Fact 2, Word 2"));
  await store.recordAttempt(attempt(20210001, 1, 20, "DECRYPTED DATA MISMATCH: byte 7"), 1);
  await store.recordAttempt(attempt(20210002, 1, 20, "DECRYPTED DATA MISMATCH: byte 9"));
  const two = await staffState(store, {}, { task: 2 });
  assert.deepEqual(two.scores.map((s) => [s.studentId, s.task]), [["20210001", 2]]);
  assert.deepEqual(two.attempts.map((a) => a.task), [2]);
  assert.deepEqual(two.summary.map((s) => s.task), [2]);
  const fails = await staffState(store, {}, { verdict: "FAIL", idPrefix: "2021" });
  assert.deepEqual(fails.attempts.map((a) => [a.studentId, a.score]), [
    ["20210002", 20],
    ["20210001", 20],
    ["20210001", 10],
  ]);
  assert.deepEqual(fails.scores.map((s) => s.studentId), ["20210001"]);
  assert.deepEqual(fails.reasons.allTime, [
    { reason: "DECRYPTED DATA MISMATCH", count: 2 },
    { reason: "Fib N, Fact N, Word N", count: 1 },
  ]);
  assert.deepEqual(fails.reasons.lastHour, fails.reasons.allTime);
});

Deno.test("studentView() finds a masked student by key only, with every attempt, masked", async () => {
  await using store = await ScoreStore.open(":memory:");
  await store.record(20201234, 1, 45);
  await store.recordAttempt(attempt(20201234, 1, 45, "student id 20201234: DECRYPTED ..."));
  await store.recordAttempt(attempt(20201234, 2, 40));
  await store.recordAttempt(attempt(20209999, 2, 40));
  const key = studentKey(20201234, true);
  const view = await studentView(store, key, true);
  assert.equal(view?.studentId, "*****234");
  assert.deepEqual(view?.attempts.map((a) => a.task), [2, 1]);
  assert.doesNotMatch(JSON.stringify(view), /20201234/);
  // The id itself names no one while ids are masked.
  assert.equal(await studentView(store, "20201234", true), undefined);
  assert.equal((await studentView(store, "20201234", false))?.scores[0]?.best, 45);
});
