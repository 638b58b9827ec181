import assert from "node:assert/strict";
import { ConnectionError } from "../../lib/net/errors.ts";
import { serveTcp } from "../../lib/net/listener.ts";
import { canSharePort, listenerThreadCount, listenMain } from "../../lib/net/listener_threads.ts";

const listenOn = (port: number) => (reusePort: boolean) =>
  serveTcp({ hostname: "127.0.0.1", port, reusePort }, (conn) => Promise.resolve(conn.close()), {
    log() {},
  });

Deno.test("listenMain() shares the port when there is more than one thread, and keeps one listener otherwise", async () => {
  const calls: boolean[] = [];
  const listen = (reusePort: boolean) => (calls.push(reusePort), listenOn(0)(reusePort));
  const one = listenMain({ hostname: "127.0.0.1", port: 0 }, 1, listen, () => {});
  await using _one = one.main;
  assert.equal(one.threads, 1);
  if (canSharePort()) {
    const two = listenMain({ hostname: "127.0.0.1", port: 0 }, 2, listen, () => {});
    await using _two = two.main;
    assert.equal(two.threads, 2);
    assert.deepEqual(calls, [false, true]);
  }
});

Deno.test("listenMain() falls back to one thread, with a log line, where the port cannot be shared", async () => {
  const lines: string[] = [];
  const calls: boolean[] = [];
  const listen = (reusePort: boolean) => {
    calls.push(reusePort);
    if (reusePort) throw new Deno.errors.NotSupported("reusePort is not supported here");
    return listenOn(0)(false);
  };
  const { main, threads } = listenMain({ hostname: "127.0.0.1" }, 3, listen, (l) => lines.push(l));
  await using _main = main;
  assert.equal(threads, 1);
  assert.deepEqual(calls, [true, false]);
  assert.match(lines[0]!, /^One listener thread only: cannot share the port \(.*reusePort/);
  assert.ok(main.port > 0);
});

Deno.test("listenMain() refuses a fixed port someone listens on already, before sharing it", () => {
  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let listened = false;
  const listen = (reusePort: boolean) => (listened = true, listenOn(taken.addr.port)(reusePort));
  assert.throws(
    () => listenMain({ hostname: "127.0.0.1", port: taken.addr.port }, 2, listen, () => {}),
    (error) => error instanceof ConnectionError && /already in use/.test(error.message),
  );
  assert.equal(listened, false, "no listener joined the port");
});

Deno.test("listenerThreadCount() gives the threads asked for only on Linux, without a capture, where ports can be shared", () => {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  assert.equal(listenerThreadCount(undefined, undefined, log), 1);
  assert.equal(listenerThreadCount(0, undefined, log), 1);
  assert.equal(listenerThreadCount(4, { path: "x.pcap" }, log), 1, "a capture keeps one thread");
  const shared = Deno.build.os === "linux" && canSharePort();
  assert.equal(listenerThreadCount(4, undefined, log), shared ? 4 : 1);
  if (Deno.build.os === "linux" && !canSharePort()) assert.match(lines[0]!, /unstable net/);
});
