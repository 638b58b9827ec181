import assert from "node:assert/strict";
import { TimeoutError } from "../../lib/net/errors.ts";
import { writeAll } from "../../lib/net/write_all.ts";
import { rawPeer } from "./task2_peer.ts";

const encoder = new TextEncoder();
const UUID = "f97e575c28d536b49170f3cbaef757af";

/** A loopback listener whose one connection `serve` handles; closed on dispose. */
function oneConnection(serve: (conn: Deno.TcpConn) => Promise<void>) {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const served = listener.accept().then(async (conn) => {
    try {
      await serve(conn);
    } finally {
      try {
        conn.close();
      } catch {
        // The peer's reset closed it already.
      }
    }
  });
  return {
    port: listener.addr.port,
    served,
    async [Symbol.asyncDispose]() {
      listener.close();
      await served;
    },
  };
}

Deno.test("rawPeer() reads a reply, then exact bytes, then drains what is left until the server closes", async () => {
  await using server = oneConnection(async (conn) => {
    await writeAll(conn, encoder.encode(`13_${UUID}\x00\x01\x02\x03tail`));
  });
  using peer = await rawPeer(server.port, "127.0.0.1", 5000);
  assert.equal(await peer.reply(), `13_${UUID}`);
  assert.deepEqual(await peer.bytes(4), Uint8Array.of(0, 1, 2, 3));
  const drained = await peer.drain(5000, 2);
  assert.deepEqual(drained, { bytes: encoder.encode("ta"), total: 4, end: "closed" });
});

Deno.test("rawPeer()'s closeWrite() ends the server's stream, and bytes() rejects when the server closes first", async () => {
  await using server = oneConnection(async (conn) => {
    const got = await new Response(conn.readable).text(); // until our closeWrite
    assert.equal(got, "FILE");
  });
  using peer = await rawPeer(server.port);
  await peer.send("FILE", 5000);
  await peer.closeWrite();
  await server.served;
  await assert.rejects(peer.bytes(2), Deno.errors.UnexpectedEof);
});

Deno.test("rawPeer()'s reply() rejects past its cap and after its time limit; drain() stops waiting as open", async () => {
  await using server = oneConnection(async (conn) => {
    await writeAll(conn, encoder.encode("9".repeat(100)));
    await new Response(conn.readable).text(); // until the peer closes
  });
  using peer = await rawPeer(server.port);
  await assert.rejects(peer.reply(5000, 50), RangeError);
  await using silentServer = oneConnection(async (conn) => {
    await new Response(conn.readable).text();
  });
  using silent = await rawPeer(silentServer.port);
  await assert.rejects(silent.reply(20), TimeoutError);
  await using quietServer = oneConnection(async (conn) => {
    await new Response(conn.readable).text();
  });
  using quiet = await rawPeer(quietServer.port);
  assert.deepEqual(await quiet.drain(20), { bytes: new Uint8Array(), total: 0, end: "open" });
});
