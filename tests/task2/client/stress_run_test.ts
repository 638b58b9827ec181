import assert from "node:assert/strict";
import { formatStress, runStress, STRESS_CASES } from "../../../lib/task2/client/stress_run.ts";
import { serveCompute } from "../../../lib/task2/server/compute_server.ts";

Deno.test("runStress() passes every case against our own compute server with its default settings", async () => {
  // The server as `server.ts` starts it (default gap, limits and workers); the
  // client's pauses are shortened to keep the test short: the documented
  // framing never depends on how long a client pauses between writes.
  await using server = serveCompute({ hostname: "127.0.0.1", port: 0, log: () => {} });
  const seen: string[] = [];
  const findings = await runStress(
    { hostname: "127.0.0.1", port: server.port, log: () => {}, pauseMs: 5 },
    false,
    (_index, _total, name) => seen.push(name),
  );
  assert.deepEqual(seen, STRESS_CASES.map((c) => c.name));
  for (const finding of findings) {
    assert.equal(finding.okay, finding.requests, `${finding.name}: ${finding.first}`);
    assert.ok(finding.requests > 0, finding.name);
  }
});

Deno.test("formatStress() keeps the counts in one column when a case name is longer than 32 characters", () => {
  const lines = formatStress(
    STRESS_CASES.map((stressCase, i) => ({
      name: stressCase.name,
      passed: i !== 0,
      okay: 24,
      requests: i === 0 ? 100 : 24,
      ...(i === 0 ? { first: "Client1 FILE: wrong count" } : {}),
    })),
  );
  assert.ok(
    STRESS_CASES.some((stressCase) => stressCase.name.length > 32),
    "a case name is longer than 32",
  );
  const rows = lines.slice(1);
  const countColumns = rows.map((row) => row.search(/\d+\/\d+/));
  assert.equal(new Set(countColumns).size, 1, rows.join("\n"));
  assert.ok(rows[0]!.endsWith("24/100  Client1 FILE: wrong count"), rows[0]);
});
