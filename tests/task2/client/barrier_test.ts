import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";
import { Barrier } from "../../../lib/task2/client/barrier.ts";

Deno.test("Barrier settles true when every client arrives or leaves, in any order", async () => {
  for (
    const steps of [["arrive", "arrive", "leave"], ["leave", "leave", "leave"], [
      "leave",
      "arrive",
      "arrive",
    ]] as const
  ) {
    using barrier = new Barrier(3, 60_000);
    for (const step of steps) barrier[step]();
    assert.equal(await barrier.settled, true, steps.join(" "));
    assert.equal(barrier.expired, false);
  }
});

Deno.test("Barrier starts its limit at the first arrival, not before", async () => {
  using barrier = new Barrier(2, 1);
  await sleep(10); // no arrival yet: still open
  let settled: boolean | undefined;
  barrier.settled.then((all) => (settled = all));
  await Promise.resolve();
  assert.equal(settled, undefined);
  barrier.arrive();
  assert.equal(await barrier.settled, false);
  assert.equal(barrier.expired, true);
  barrier.leave(); // a late client changes nothing
  assert.equal(await barrier.settled, false);
});
