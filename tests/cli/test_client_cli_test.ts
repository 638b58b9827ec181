import assert from "node:assert/strict";
import { serveCompute } from "../../lib/task2/server/compute_server.ts";
import { testClientMain } from "../../lib/cli/test_client.ts";
import { freePort } from "../helpers/processes.ts";

// The servers keep their default 50 ms quiet gap: the clients' 10 ms pauses stay well inside
// it on a loaded machine (with a 5 ms gap a stress case failed under load).
const ID = ["--studentID=20200000", "--submit=False"];

Deno.test("testClientMain() --stress --json prints one JSON report with the stress findings apart", async () => {
  await using compute = serveCompute({ hostname: "127.0.0.1", log() {} });
  const lines: string[] = [];
  const traced: string[] = [];
  let progress = "";
  const code = await testClientMain(
    [`--port=${compute.port}`, ...ID, "--pause=10", "--stress", "--json", "--trace"],
    (line) => lines.push(line),
    (line) => traced.push(line),
    { write: (text) => void (progress += text), isTerminal: true },
  );
  assert.equal(code, 0);
  assert.equal(progress, ""); // --json: no progress, even on a terminal
  assert.equal(lines.length, 1); // only the JSON; trace lines went to the other stream
  const report = JSON.parse(lines[0]!);
  assert.equal(report.score.total, 40);
  assert.equal(report.sequential, false);
  assert.equal(report.clients.length, 4);
  assert.equal(report.best, null);
  assert.deepEqual(report.stress.map((finding: { passed: boolean }) => finding.passed), [
    true,
    true,
    true,
    true,
    true,
  ]);
  assert.ok(traced.some((line) => /^\[Client4\] \+\d+\.\dms -> Client4$/.test(line)));
});

Deno.test("testClientMain() --stress shows one progress line per case when piped", async () => {
  await using compute = serveCompute({ hostname: "127.0.0.1", log() {} });
  let piped = "";
  const sink = { write: (text: string) => void (piped += text), isTerminal: false };
  const lines: string[] = [];
  const args = [`--port=${compute.port}`, ...ID, "--pause=10", "--stress"];
  assert.equal(await testClientMain(args, (line) => lines.push(line), () => {}, sink), 0);
  const stages = piped.split("\n").filter((line) => line !== "");
  assert.equal(stages.length, 5);
  stages.forEach((line, i) => assert.match(line, new RegExp(`^stress case ${i + 1}/5: \\S`)));
  assert.ok(!piped.includes("\r")); // no live-line rewrites when piped
  assert.ok(lines.some((line) => /^Stress/.test(line)), lines.join("\n"));
});

Deno.test("testClientMain() says in one line that nothing listens on a refused port", async () => {
  const port = freePort();
  const lines: string[] = [];
  assert.equal(await testClientMain([`--port=${port}`, ...ID], (line) => lines.push(line)), 1);
  assert.equal(
    lines[0],
    `Nothing listens on 127.0.0.1:${port} (connection refused); ` +
      "a server bound to another address needs --host",
  );
  assert.equal(lines.filter((line) => line.includes("refused")).length, 1);
});

Deno.test("testClientMain() --rounds runs load mode and prints its report", async () => {
  await using compute = serveCompute({ hostname: "127.0.0.1", log() {} });
  const lines: string[] = [];
  const args = [`--port=${compute.port}`, ...ID, "--clients=3", "--rounds=2", "--style=single"];
  assert.equal(await testClientMain(args, (line) => lines.push(line)), 0);
  assert.match(lines[0]!, /^Load: 3 clients, style single, \d+\.\d s, 6 sessions$/);
  assert.equal(lines[1]!.replace(/, [\d.]+\/s$/, ""), "Requests  36 right");
  assert.match(
    lines[2]!,
    /^Latency {3}p50 [\d.]+ ms, p90 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms$/,
  );
  assert.equal(lines[3], "Errors    none");
});

Deno.test("testClientMain() load mode says when nothing listens", async () => {
  const port = freePort();
  const lines: string[] = [];
  const args = [`--port=${port}`, ...ID, "--rounds=1", "--clients=1", "--pause=1"];
  assert.equal(await testClientMain(args, (line) => lines.push(line)), 1);
  assert.match(lines[0]!, /^Nothing listens on 127\.0\.0\.1:\d+ \(connection refused\)/);
  assert.equal(lines.at(-1), "Errors    refused 1");
});

Deno.test("testClientMain() rejects flags that do not fit the mode", async () => {
  const cases: [string[], RegExp][] = [
    [["--submit=True", "--duration=5"], /^Load mode \(--duration, --rounds\) records no score/],
    [["--submit=False", "--rounds=1", "--stress"], /^--stress does not apply to load mode$/],
    [["--submit=False", "--style=single"], /^--style applies to load mode only/],
    [["--submit=False", "--rounds=1", "--style=fast"], /^--style must be course or single/],
  ];
  for (const [args, message] of cases) {
    await assert.rejects(
      testClientMain(["--port=1234", "--studentID=20200000", ...args], () => {}),
      { name: "UsageError", message },
      args.join(" "),
    );
  }
});
