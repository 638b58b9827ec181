import assert from "node:assert/strict";
import { PendingCalls, type RpcReply } from "../../lib/net/worker_rpc.ts";

/**
 * A real worker that answers `{ id, n, delay }` after `delay` ms, with n * 2,
 * or dies for n < 0; `{ id, n, hold: true }` is answered only once
 * `{ release: true }` comes.
 */
function startWorker(): { worker: Worker; [Symbol.dispose](): void } {
  const rpc = new URL("../../lib/net/worker_rpc.ts", import.meta.url).href;
  const source = `
    import { replyTo } from ${JSON.stringify(rpc)};
    const held = [];
    self.onmessage = ({ data: { id, n, delay, hold, release } }) => {
      if (release) return held.splice(0).forEach((reply) => reply());
      if (n < 0) throw new Error("worker crashed");
      const reply = async () => {
        self.postMessage(await replyTo(id, () => {
          if (n === 0) throw new RangeError("n must be positive");
          return n * 2;
        }));
      };
      if (hold) held.push(reply);
      else setTimeout(reply, delay);
    };`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const worker = new Worker(url, { type: "module" });
  return {
    worker,
    [Symbol.dispose]() {
      worker.terminate();
      URL.revokeObjectURL(url);
    },
  };
}

Deno.test("PendingCalls settles out-of-order replies from a real worker by their ids", async () => {
  using w = startWorker();
  const calls = new PendingCalls<number>();
  w.worker.onmessage = (event: MessageEvent<RpcReply<number>>) => calls.settle(event.data);
  // The first call is answered only when released: its reply surely comes second.
  const slow = calls.start((id) => w.worker.postMessage({ id, n: 1, hold: true }));
  const fast = calls.start((id) => w.worker.postMessage({ id, n: 2, delay: 0 }));
  assert.equal(await fast, 4);
  assert.equal(calls.size, 1);
  w.worker.postMessage({ release: true });
  assert.equal(await slow, 2);
  assert.equal(calls.size, 0);
});

Deno.test("PendingCalls rebuilds a worker's error into its registered class", async () => {
  using w = startWorker();
  const calls = new PendingCalls<number>({ errors: { RangeError } });
  w.worker.onmessage = (event: MessageEvent<RpcReply<number>>) => calls.settle(event.data);
  await assert.rejects(calls.start((id) => w.worker.postMessage({ id, n: 0, delay: 0 })), {
    name: "RangeError",
    message: "n must be positive",
  });
  const error = await calls.start((id) => w.worker.postMessage({ id, n: 0, delay: 0 })).catch((
    e,
  ) => e);
  assert.ok(error instanceof RangeError);
});

Deno.test("PendingCalls.rejectAll() fails every pending call when the worker dies", async () => {
  using w = startWorker();
  const calls = new PendingCalls<number>();
  const died = new Promise<void>((resolve) => {
    w.worker.onerror = (event) => {
      event.preventDefault();
      calls.rejectAll(new Error(`the worker failed: ${event.message}`));
      resolve();
    };
  });
  w.worker.onmessage = (event: MessageEvent<RpcReply<number>>) => calls.settle(event.data);
  const waiting = calls.start((id) => w.worker.postMessage({ id, n: 1, delay: 60_000 }));
  const crash = calls.start((id) => w.worker.postMessage({ id, n: -1, delay: 0 }));
  await died;
  await assert.rejects(waiting, /the worker failed/);
  await assert.rejects(crash, /the worker failed/);
  await assert.rejects(calls.start(() => {}), /the worker failed/);
  assert.equal(calls.size, 0);
});

Deno.test("PendingCalls.settle() ignores a reply to an id it never sent or already settled", async () => {
  const calls = new PendingCalls<string>();
  const call = calls.start(() => {});
  assert.equal(calls.settle({ id: 7, ok: true, value: "stray" }), false);
  assert.equal(calls.settle({ id: 0, ok: true, value: "mine" }), true);
  assert.equal(calls.settle({ id: 0, ok: true, value: "again" }), false);
  assert.equal(await call, "mine");
});
