import assert from "node:assert/strict";
import { serveCompute } from "../../../lib/task2/server/compute_server.ts";
import { serveTcp } from "../../../lib/net/listener.ts";
import { clientUuid } from "../../../lib/task2/protocol/client_uuid.ts";
import { writeAll } from "../../../lib/net/write_all.ts";
import { runLoad } from "../../../lib/task2/client/load_run.ts";
import { freePort } from "../../helpers/processes.ts";

Deno.test("runLoad() runs for a duration in course style and reports progress", async () => {
  await using server = serveCompute({ hostname: "127.0.0.1", gapMs: 2, log() {} });
  const seen: number[] = [];
  const report = await runLoad({
    hostname: "127.0.0.1",
    port: server.port,
    clients: 2,
    durationMs: 150,
    style: "course",
    pauseMs: 5,
    progressMs: 20,
    onProgress: (progress) => seen.push(progress.requests),
  });
  assert.ok(report.seconds >= 0.15); // clients keep starting sessions until the time is up
  assert.deepEqual(report.errors, {});
  const latency = report.latencyMs;
  if (latency !== undefined) assert.ok(latency.max >= latency.p99 && latency.p99 >= latency.p50);
  assert.ok(seen.length >= 1);
  assert.equal(seen.at(-1), report.requests); // the last progress is the final count
  assert.deepEqual([...seen].sort((a, b) => a - b), seen); // never goes back
});

Deno.test("runLoad() counts refused connections by kind and still ends", async () => {
  const report = await runLoad({
    hostname: "127.0.0.1",
    port: freePort(),
    clients: 2,
    rounds: 2,
    style: "single",
    pauseMs: 1,
  });
  assert.deepEqual(report.errors, { refused: 4 });
  assert.equal(report.requests, 0);
  assert.equal(report.latencyMs, undefined);
});

Deno.test("runLoad() counts wrong answers and ERROR replies apart", async () => {
  const encoder = new TextEncoder();
  await using server = serveTcp({ hostname: "127.0.0.1", port: 0 }, async (conn) => {
    const buffer = new Uint8Array(4096);
    const n = await conn.read(buffer);
    const name = new TextDecoder().decode(buffer.subarray(0, n ?? 0));
    const uuid = clientUuid(name);
    await writeAll(conn, encoder.encode(uuid));
    await conn.read(buffer); // one whole request, sent in one write
    const answer = name === "Client1" ? "ERROR busy" : "-1";
    await writeAll(conn, encoder.encode(`${answer}_${uuid}`));
    await conn.read(buffer); // the client hangs up
  }, { log: console.error });
  const report = await runLoad({
    hostname: "127.0.0.1",
    port: server.port,
    clients: 2,
    rounds: 1,
    style: "single",
    pauseMs: 1,
  });
  assert.deepEqual(report.errors, { "ERROR reply": 1, "wrong answer": 1 });
});
