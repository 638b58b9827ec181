import assert from "node:assert/strict";
import { ConnectionBudget } from "../../lib/net/connection_budget.ts";

Deno.test("ConnectionBudget.take() refuses past the limit and release() gives the slot back", () => {
  const budget = ConnectionBudget.create(3);
  assert.deepEqual([1, 2, 3, 4].map(() => budget.take()), [true, true, true, false]);
  assert.equal(budget.used, 3);
  budget.release();
  assert.equal(budget.take(), true);
  assert.equal(budget.take(), false);
});

Deno.test("ConnectionBudget counts exactly across a real worker thread", async () => {
  const budget = ConnectionBudget.create(5, 2);
  // The worker takes as many slots as it can and reports how many it got.
  const source = `
    import { ConnectionBudget } from ${
    JSON.stringify(new URL("../../lib/net/connection_budget.ts", import.meta.url).href)
  };
    self.onmessage = (event) => {
      const budget = ConnectionBudget.attach(event.data);
      let got = 0;
      while (budget.take()) got++;
      self.postMessage(got);
    };`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const worker = new Worker(url, { type: "module" });
  try {
    assert.equal(budget.take(), true);
    assert.equal(budget.take(), true);
    const got = new Promise<number>((resolve) => (worker.onmessage = (e) => resolve(e.data)));
    worker.postMessage(budget.share(1));
    assert.equal(await got, 3);
    assert.equal(budget.used, 5);
    assert.equal(budget.take(), false);
    // The worker "dies" holding its 3: the starter gives them back.
    assert.equal(budget.releaseHolder(1), 3);
    assert.equal(budget.used, 2);
    assert.equal(budget.releaseHolder(1), 0);
  } finally {
    worker.terminate();
    URL.revokeObjectURL(url);
  }
});

Deno.test("ConnectionBudget rejects a limit below 1 and an unknown holder", () => {
  assert.throws(() => ConnectionBudget.create(0), RangeError);
  const budget = ConnectionBudget.create(1, 1);
  assert.throws(() => ConnectionBudget.attach(budget.share(1)), RangeError);
});
