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
