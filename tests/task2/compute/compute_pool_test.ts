import assert from "node:assert/strict";
import { factorial, fibonacci } from "../../../lib/task2/compute/compute.ts";
import {
  ComputePool,
  INLINE_FACTORIAL,
  INLINE_FIBONACCI,
  PoolBusyError,
} from "../../../lib/task2/compute/compute_pool.ts";
import { COMPUTE_NICE } from "../../../lib/task2/compute/compute_worker.ts";
import { getPriority } from "node:os";

// parallelBits: 0 sends every worker job down the two-worker path, so small
// n test it; Infinity keeps jobs on one worker.

Deno.test("ComputePool.run() answers inline, one-worker and two-worker jobs exactly", async () => {
  for (const parallelBits of [0, Infinity]) {
    await using pool = new ComputePool({ size: 2, parallelBits });
    // Each twice: the second run finds its split prepared (the warm plans).
    for (const n of [0, 1, 7, INLINE_FIBONACCI, INLINE_FIBONACCI + 1, 31_415, 60_001]) {
      for (const round of [1, 2]) {
        const text = await pool.run({ kind: "fibonacci", n });
        assert.equal(text, fibonacci(n).toString(), `F(${n}), round ${round}`);
      }
    }
    for (const n of [0, 6, INLINE_FACTORIAL + 1, 3_125, 4_321, 12_000].flatMap((n) => [n, n])) {
      assert.equal(await pool.run({ kind: "factorial", n }), factorial(n).toString(), `${n}!`);
    }
  }
});

Deno.test("ComputePool.run() runs jobs side by side and each gets its own answer", async () => {
  await using pool = new ComputePool({ size: 2, parallelBits: 0 });
  const ns = [25_000, 26_000, 27_000, 28_000, 29_000];
  const texts = await Promise.all(ns.map((n) => pool.run({ kind: "fibonacci", n })));
  assert.deepEqual(texts, ns.map((n) => fibonacci(n).toString()));
});

Deno.test("ComputePool.run() rejects n over the limit, default or given", async () => {
  await using pool = new ComputePool({ size: 1 });
  await assert.rejects(pool.run({ kind: "fibonacci", n: 10_000_001 }), {
    name: "RequestError",
    message: "FIBONACCI n must be at most 10000000, got 10000001",
  });
  await assert.rejects(pool.run({ kind: "factorial", n: 5001, limit: 5000 }), {
    name: "RequestError",
    message: "FACTORIAL n must be at most 5000, got 5001",
  });
  await assert.rejects(pool.run({ kind: "factorial", n: -1 }), { name: "RequestError" });
});

Deno.test("ComputePool.run() refuses a job when the queue is full", async () => {
  await using pool = new ComputePool({ size: 1, queueLimit: 1 });
  const running = pool.run({ kind: "factorial", n: 30_000 });
  const queued = pool.run({ kind: "factorial", n: 30_001 });
  assert.equal(pool.waiting, 1);
  await assert.rejects(pool.run({ kind: "factorial", n: 30_002 }), {
    name: "PoolBusyError",
    message: "The compute queue is full (1 jobs waiting); try again later",
  });
  assert.equal(await running, factorial(30_000).toString());
  assert.equal(await queued, factorial(30_001).toString());
  assert.ok(new PoolBusyError("x") instanceof Error);
});

Deno.test("ComputePool.run() drops a queued job whose signal aborts", async () => {
  await using pool = new ComputePool({ size: 1 });
  const running = pool.run({ kind: "factorial", n: 20_000 });
  const controller = new AbortController();
  const queued = pool.run({ kind: "factorial", n: 20_001 }, controller.signal);
  controller.abort(new Error("client went away"));
  await assert.rejects(queued, { message: "client went away" });
  assert.equal(pool.waiting, 0);
  assert.equal(await running, factorial(20_000).toString());
});

Deno.test("ComputePool.run() terminates the workers of an aborted running job and goes on", async () => {
  for (const parallelBits of [0, Infinity]) {
    await using pool = new ComputePool({ size: 2, parallelBits });
    const controller = new AbortController();
    const job = pool.run({ kind: "factorial", n: 100_000 }, controller.signal);
    controller.abort(new Error("client went away"));
    await assert.rejects(job, { message: "client went away" });
    // Fresh workers take over.
    assert.equal(await pool.run({ kind: "fibonacci", n: 40_000 }), fibonacci(40_000).toString());
  }
  await using pool = new ComputePool({ size: 1 });
  await assert.rejects(
    pool.run({ kind: "fibonacci", n: 3 }, AbortSignal.abort(new Error("gone before"))),
    { message: "gone before" },
  );
});

Deno.test("ComputePool.close() rejects waiting and running jobs and later ones", async () => {
  const pool = new ComputePool({ size: 1 });
  const running = pool.run({ kind: "factorial", n: 50_000 });
  const queued = pool.run({ kind: "factorial", n: 50_001 });
  await pool.close();
  await assert.rejects(running, { message: "The compute pool is closed" });
  await assert.rejects(queued, { message: "The compute pool is closed" });
  await assert.rejects(pool.run({ kind: "factorial", n: 50_000 }), {
    message: "The compute pool is closed",
  });
});

Deno.test("new ComputePool() rejects a bad size or queue limit", () => {
  assert.throws(() => new ComputePool({ size: 0 }), { name: "RangeError" });
  assert.throws(() => new ComputePool({ queueLimit: -1 }), { name: "RangeError" });
});

Deno.test({
  name: "ComputePool.run() rejects with the reason when a worker cannot start",
  permissions: { read: false },
  async fn() {
    await using pool = new ComputePool({ size: 1 });
    await assert.rejects(pool.run({ kind: "factorial", n: 30_000 }), {
      message: /^A compute worker failed: .*read access/,
    });
    // The next job gets a fresh worker (which fails the same way here).
    await assert.rejects(pool.run({ kind: "factorial", n: 30_000 }), {
      message: /^A compute worker failed/,
    });
  },
});

Deno.test({
  name: "lowerThreadPriority() lowers a compute thread's priority on Linux, not its caller's",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const before = getPriority(0);
    const worker = new Worker(new URL("../../helpers/priority_worker.ts", import.meta.url), {
      type: "module",
    });
    try {
      const reply = await new Promise<{ lowered: boolean; nice: number }>((resolve) => {
        worker.onmessage = (event) => resolve(event.data);
      });
      assert.deepEqual(reply, { lowered: true, nice: COMPUTE_NICE });
      assert.equal(getPriority(0), before); // the test's own thread is untouched
    } finally {
      worker.terminate();
    }
  },
});
