import assert from "node:assert/strict";
import fc from "../helpers/fast_check.ts";
import { connectTcp, hostPort } from "../../lib/net/connect.ts";
import { ConnectionError } from "../../lib/net/errors.ts";
import { writeAll } from "../../lib/net/write_all.ts";

Deno.test("connectTcp() connects to a listening port on loopback", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  using conn = await connectTcp("127.0.0.1", listener.addr.port, 5000);
  using server = await accepted;
  assert.equal(conn.remoteAddr.port, listener.addr.port);
  assert.equal(server.remoteAddr.port, conn.localAddr.port);
});

Deno.test("connectTcp() to a closed port throws ConnectionError naming the address", async () => {
  // A port just closed may be taken by another process at once (other test
  // runs share the machine): try fresh ports until one is still closed.
  for (let attempt = 1;; attempt++) {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = listener.addr.port;
    listener.close();
    const outcome = await connectTcp("127.0.0.1", port, 5000).then(
      (conn) => (conn.close(), undefined),
      (error: unknown) => error,
    );
    if (outcome === undefined && attempt < 5) continue;
    assert.ok(outcome instanceof ConnectionError, `no ConnectionError: ${outcome}`);
    assert.match(outcome.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    return;
  }
});

Deno.test("hostPort() brackets exactly the hostnames with a colon", () => {
  fc.assert(fc.property(fc.string({ maxLength: 20 }), fc.nat(65535), (host, port) => {
    const text = hostPort(host, port);
    assert.equal(text, host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`);
  }));
});

Deno.test("writeAll() delivers a write larger than the socket buffers whole", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepted = listener.accept();
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
  using server = await accepted;
  const bytes = new Uint8Array(4 * 1024 * 1024).map((_, i) => i * 7);
  const received = new Response(server.readable).bytes();
  await writeAll(conn, bytes);
  conn.close();
  assert.deepEqual(await received, bytes);
});
