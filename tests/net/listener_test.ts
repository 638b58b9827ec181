import assert from "node:assert/strict";
import { serveTcp } from "../../lib/net/listener.ts";
import { writeAll } from "../../lib/net/write_all.ts";

Deno.test("serveTcp() passes connections past maxConnections to reject, then closes them", async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await using service = serveTcp({ hostname: "127.0.0.1" }, () => held, {
    log: console.error,
    maxConnections: 1,
    reject: (conn) => writeAll(conn, new TextEncoder().encode("busy\n")),
  });
  using first = await Deno.connect({ hostname: "127.0.0.1", port: service.port });
  using second = await Deno.connect({ hostname: "127.0.0.1", port: service.port });
  assert.equal(await new Response(second.readable).text(), "busy\n");
  assert.equal(service.active, 1);
  release();
  assert.equal(await new Response(first.readable).text(), "");
});
