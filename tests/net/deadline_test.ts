import assert from "node:assert/strict";
import { Deadline, now, withTimeout } from "../../lib/net/deadline.ts";
import { TimeoutError } from "../../lib/net/errors.ts";

Deno.test("Deadline.set() moved later many times fires once, after the last deadline", async () => {
  const fired: number[] = [];
  const started = now();
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  using deadline = new Deadline(() => {
    fired.push(now() - started);
    resolve();
  });
  for (let i = 0; i < 100; i++) deadline.set(5);
  deadline.set(30);
  await done;
  assert.equal(fired.length, 1);
  assert.ok(fired[0]! >= 29, `fired after ${fired[0]} ms, expected at least 30`);
});

Deno.test("Deadline.clear() and an infinite deadline never fire", async () => {
  let fired = 0;
  using deadline = new Deadline(() => fired++);
  deadline.set(1);
  deadline.clear();
  deadline.set(Infinity);
  // A later timer that does fire proves the cleared one had its chance.
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(fired, 0);
});

Deno.test("Deadline.set() with a callback replaces the one to call", async () => {
  const calls: string[] = [];
  using deadline = new Deadline(() => calls.push("read"));
  const fired = new Promise<void>((resolve) =>
    deadline.set(1, () => {
      calls.push("write");
      resolve();
    })
  );
  await fired;
  assert.deepEqual(calls, ["write"]);
});

Deno.test("withTimeout() names what it waited for as it was when the time ran out", async () => {
  let waitingFor = "a header";
  let closed = false;
  const pending = withTimeout(new Promise(() => {}), 5, () => waitingFor, () => (closed = true));
  waitingFor = "the data";
  await assert.rejects(pending, (error) => {
    assert.ok(error instanceof TimeoutError);
    assert.equal(error.message, "Timed out after 5 ms waiting for the data");
    return true;
  });
  assert.equal(closed, true);
});

Deno.test("withTimeout() settles like its promise and leaves no timer behind", async () => {
  // The test sanitizer fails this test if a timer were left pending.
  assert.equal(await withTimeout(Promise.resolve("ok"), 60_000, "a value"), "ok");
  await assert.rejects(withTimeout(Promise.reject(new RangeError("no")), 60_000, "x"), RangeError);
  assert.equal(await withTimeout(Promise.resolve(1), Infinity, "x"), 1);
});

Deno.test("Deadline.disarm() cancels the deadline; the armed timer fires to no effect and set() works after", async () => {
  const fired: string[] = [];
  using deadline = new Deadline(() => void fired.push("first"));
  deadline.set(5);
  deadline.disarm();
  // The underlying timer is still armed: it fires, finds no deadline, calls nothing.
  await new Promise((resolve) => setTimeout(resolve, 20));
  assert.equal(fired.length, 0);
  const done = Promise.withResolvers<void>();
  deadline.set(5, () => {
    fired.push("second");
    done.resolve();
  });
  await done.promise;
  assert.deepEqual(fired, ["second"]);
});

/** Counts the setTimeout timers pending while `body` runs. */
async function countingTimers(body: (pending: () => number) => Promise<void>): Promise<void> {
  const [set, clear] = [globalThis.setTimeout, globalThis.clearTimeout];
  const pending = new Set<unknown>();
  const counting = (fn: () => void, ms?: number) => {
    const id = set(() => {
      pending.delete(id);
      fn();
    }, ms);
    pending.add(id);
    return id;
  };
  globalThis.setTimeout = counting as unknown as typeof setTimeout;
  globalThis.clearTimeout = ((id: ReturnType<typeof setTimeout>) => {
    pending.delete(id);
    clear(id);
  }) as typeof clearTimeout;
  try {
    await body(() => pending.size);
  } finally {
    globalThis.setTimeout = set;
    globalThis.clearTimeout = clear;
  }
}

Deno.test("Deadline: every deadline of a thread shares one setTimeout, and each fires in its own order", async () => {
  await countingTimers(async (pending) => {
    const fired: number[] = [];
    const { promise, resolve } = Promise.withResolvers<void>();
    const deadlines = Array.from({ length: 200 }, (_, i) =>
      new Deadline(() => {
        fired.push(i);
        if (fired.length === 100) resolve();
      }));
    // Set in a scrambled order, each due at its own time from one start;
    // the even ones are cleared again. The clock is held still while they
    // are set, so that a stall of this thread between two readings (a busy
    // machine) cannot move one deadline past the next.
    const start = now();
    Object.defineProperty(performance, "now", { value: () => start, configurable: true });
    try {
      for (let k = 0; k < 200; k++) {
        const i = (k * 7) % 200;
        deadlines[i]!.set(20 + i / 4);
      }
    } finally {
      delete (performance as { now?: unknown }).now;
    }
    assert.equal(pending(), 1, "one setTimeout for 200 deadlines");
    for (let i = 0; i < 200; i += 2) deadlines[i]!.clear();
    await promise;
    assert.deepEqual(fired, Array.from({ length: 100 }, (_, k) => 2 * k + 1));
    assert.equal(pending(), 0, "nothing pending once every deadline fired or was cleared");
  });
});

Deno.test("Deadline: a callback that throws does not hold back the others", async () => {
  const errors: unknown[] = [];
  const onError = (event: ErrorEvent) => {
    event.preventDefault();
    errors.push(event.error);
  };
  globalThis.addEventListener("error", onError);
  try {
    const { promise, resolve } = Promise.withResolvers<void>();
    using throwing = new Deadline(() => {
      throw new RangeError("callback failed");
    });
    using later = new Deadline(resolve);
    using same = new Deadline(() => {});
    throwing.set(5);
    same.set(5);
    later.set(15);
    await promise;
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof RangeError);
  } finally {
    globalThis.removeEventListener("error", onError);
  }
});

Deno.test("Deadline: thousands of deadlines set and cleared leave one timer while one is set, and none after", async () => {
  await countingTimers(async (pending) => {
    using keep = new Deadline(() => {});
    keep.set(60_000);
    for (let i = 0; i < 10_000; i++) {
      using short = new Deadline(() => {});
      short.set(30_000 + i);
    }
    assert.equal(pending(), 1);
    keep.clear();
    assert.equal(pending(), 0);
    // A deadline set after that still fires.
    const { promise, resolve } = Promise.withResolvers<void>();
    using last = new Deadline(resolve);
    last.set(1);
    await promise;
  });
});
