import assert from "node:assert/strict";
import { serveTcp } from "../../lib/net/listener.ts";
import { ConnectionBudget } from "../../lib/net/connection_budget.ts";
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

Deno.test("serveTcp() applies one shared ConnectionBudget to the sum of two services", async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const budget = ConnectionBudget.create(1, 2);
  const hooks = (holder: number) => ({
    log: console.error,
    maxConnections: holder === 0 ? budget : ConnectionBudget.attach(budget.share(holder)),
    reject: (conn: Deno.TcpConn) => writeAll(conn, new TextEncoder().encode("busy\n")),
  });
  await using one = serveTcp({ hostname: "127.0.0.1" }, () => held, hooks(0));
  await using two = serveTcp({ hostname: "127.0.0.1" }, () => held, hooks(1));
  using first = await Deno.connect({ hostname: "127.0.0.1", port: one.port });
  using second = await Deno.connect({ hostname: "127.0.0.1", port: two.port });
  assert.equal(await new Response(second.readable).text(), "busy\n");
  assert.equal(budget.used, 1);
  release();
  assert.equal(await new Response(first.readable).text(), "");
  await one.close({ force: false });
  assert.equal(budget.used, 0);
});
