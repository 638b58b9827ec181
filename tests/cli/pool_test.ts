import assert from "node:assert/strict";
import { runPool } from "../../lib/cli/pool.ts";

Deno.test("runPool() keeps at most `concurrency` tasks running and resolves results in index order", async () => {
  let running = 0;
  let most = 0;
  const gates = Array.from({ length: 7 }, () => Promise.withResolvers<void>());
  const done = runPool(7, 2, async (i) => {
    most = Math.max(most, ++running);
    await gates[i]!.promise;
    running--;
    return `#${i}`;
  });
  // Release in reverse order: the results still come in index order.
  for (let i = 6; i >= 0; i--) gates[i]!.resolve();
  assert.deepEqual(await done, ["#0", "#1", "#2", "#3", "#4", "#5", "#6"]);
  assert.equal(most, 2);
});

Deno.test("runPool() runs every task when one rejects, then throws the first rejection", async () => {
  const ran: number[] = [];
  await assert.rejects(
    runPool(5, 2, async (i) => {
      ran.push(i);
      await Promise.resolve();
      if (i === 1 || i === 3) throw new RangeError(`task ${i}`);
      return i;
    }),
    { name: "RangeError", message: "task 1" },
  );
  assert.deepEqual(ran.sort(), [0, 1, 2, 3, 4]);
  assert.deepEqual(await runPool(0, 4, () => Promise.resolve(1)), []);
});
