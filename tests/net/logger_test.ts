import assert from "node:assert/strict";
import { batchLogger } from "../../lib/net/logger.ts";

Deno.test("batchLogger() writes the lines of one event-loop turn in one write", async () => {
  const writes: string[] = [];
  const log = batchLogger({
    write(bytes) {
      writes.push(new TextDecoder().decode(bytes));
      return Promise.resolve(bytes.length);
    },
  });
  log("one");
  log("two");
  await log.flush();
  log("three");
  await log.flush();
  assert.deepEqual(writes, ["one\ntwo\n", "three\n"]);
});

Deno.test("batchLogger() finishes partial writes of the sink", async () => {
  const chunks: string[] = [];
  const log = batchLogger({
    write(bytes) {
      chunks.push(new TextDecoder().decode(bytes.subarray(0, 3)));
      return Promise.resolve(Math.min(3, bytes.length));
    },
  });
  log("abcdefg");
  await log.flush();
  assert.equal(chunks.join(""), "abcdefg\n");
});

Deno.test("batchLogger() writes behind: lines logged during a write go out together in the next, whole lines of at most maxBytes a write", async () => {
  const writes: string[] = [];
  let release!: () => void;
  const log = batchLogger({
    async write(bytes) {
      writes.push(new TextDecoder().decode(bytes));
      if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return bytes.length;
    },
  }, 10);
  log("first");
  await Promise.resolve();
  await Promise.resolve();
  assert.deepEqual(writes, ["first\n"], "the first write is in flight");
  for (const line of ["a", "b", "c", "dddddddd", "e", "\u{1F600}\u{1F600}\u{1F600}\u{1F600}"]) {
    log(line);
  }
  release();
  await log.flush();
  // A line longer than maxBytes goes whole, and no character is cut in two.
  assert.deepEqual(writes, [
    "first\n",
    "a\nb\nc\n",
    "dddddddd\n",
    "e\n",
    "\u{1F600}\u{1F600}\u{1F600}\u{1F600}\n",
  ]);
});

Deno.test("batchLogger() sets no timer", async () => {
  const set = globalThis.setTimeout;
  let timers = 0;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    timers++;
    return set(...args);
  }) as typeof setTimeout;
  try {
    const log = batchLogger({ write: (bytes) => Promise.resolve(bytes.length) });
    log("one");
    await log.flush();
    assert.equal(timers, 0);
  } finally {
    globalThis.setTimeout = set;
  }
});
