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
