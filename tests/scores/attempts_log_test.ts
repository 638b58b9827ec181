import assert from "node:assert/strict";
import { AttemptsLog } from "../../lib/scores/attempts_log.ts";

const MINUTE = 60_000;

function clocked(keep?: number) {
  const clock = { now: Date.UTC(2026, 10, 25, 9, 0, 0) };
  const log = new AttemptsLog({ keep, now: () => clock.now });
  const finish = (peer = "127.0.0.1:9") => log.finish({ peer, score: 0, message: "x" });
  return { clock, log, finish };
}

Deno.test("AttemptsLog.perMinute() counts a flood of attempts per minute and forgets them after 10", () => {
  const { clock, log, finish } = clocked();
  // 20 attempts every 100 ms for 10 minutes: 12,000 a minute.
  for (let tick = 0; tick < 10 * 600; tick++) {
    for (let i = 0; i < 20; i++) finish();
    clock.now += 100;
  }
  clock.now -= 100; // the last tick's time
  assert.deepEqual(log.perMinute(), new Array(10).fill(12_000));
  clock.now += 5 * MINUTE;
  assert.deepEqual(log.perMinute(), [...new Array(5).fill(12_000), 0, 0, 0, 0, 0]);
  clock.now += 10 * MINUTE;
  assert.deepEqual(log.perMinute(), new Array(10).fill(0));
});

Deno.test("AttemptsLog keeps the newest attempts up to keep, and the open sessions", () => {
  const { clock, log, finish } = clocked(3);
  log.start("10.0.0.1:1");
  log.start("10.0.0.2:2\x1b[2J");
  assert.deepEqual(log.active().map((s) => s.peer), ["10.0.0.1:1", "10.0.0.2:2\\x1b[2J"]);
  finish("10.0.0.2:2\x1b[2J");
  assert.deepEqual(log.active().map((s) => s.peer), ["10.0.0.1:1"]);
  for (let i = 0; i < 5; i++) {
    clock.now += 1000;
    finish(`10.0.0.${i}:7`);
  }
  assert.deepEqual(log.recent().map((a) => a.peer), ["10.0.0.4:7", "10.0.0.3:7", "10.0.0.2:7"]);
  assert.equal(log.recent()[0]!.at, "2026-11-25T09:00:05.000Z");
  assert.equal(log.perMinute().at(-1), 6);
});

Deno.test("AttemptsLog escapes raw control characters in a message but not what is escaped already", () => {
  const { log } = clocked();
  // The grading server quotes peer bytes escaped once: `<`, ESC, `[`, `>` as `<\x1b[>`.
  const message = String.raw`Reply packet 1: keyword '<\x1b[>', expected the key 'abcd'`;
  log.finish({ peer: "127.0.0.1:9", score: 40, message });
  log.finish({ peer: "127.0.0.1:9", score: 0, message: "raw \x1b[2J\\x1b and \u202e" });
  assert.deepEqual(log.recent().map((a) => a.message), [
    String.raw`raw \x1b[2J\x1b and \u{202e}`,
    message,
  ]);
});
