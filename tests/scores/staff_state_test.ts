import assert from "node:assert/strict";
import { AttemptsLog } from "../../lib/scores/attempts_log.ts";
import { ScoreStore } from "../../lib/scores/score_store.ts";
import { staffState } from "../../lib/scores/staff_state.ts";

Deno.test("staffState() with maskIds masks ids in messages, mistyped ones too, and nothing shorter", async () => {
  await using store = await ScoreStore.open(":memory:");
  const log = new AttemptsLog();
  const finish = (message: string) => log.finish({ peer: "127.0.0.1:9", score: 0, message });
  finish("Invalid header: sid 202000001 is not an 8-digit student id");
  finish("Invalid header: sid 2020001 is not an 8-digit student id");
  finish("Reply packet 1: Invalid header: flag 15475, expected 0 (more) or 1 (last)");
  const masked = (await staffState(store, log, true)).attempts.map((a) => a.message);
  assert.deepEqual(masked, [
    "Reply packet 1: Invalid header: flag 15475, expected 0 (more) or 1 (last)",
    "Invalid header: sid ****001 is not an 8-digit student id",
    "Invalid header: sid ******001 is not an 8-digit student id",
  ]);
  const plain = (await staffState(store, log, false)).attempts.map((a) => a.message);
  assert.match(plain[2]!, /sid 202000001 is not/);
});
