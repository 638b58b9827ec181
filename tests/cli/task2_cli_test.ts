import assert from "node:assert/strict";
import { serveCompute } from "../../lib/task2/server/compute_server.ts";
import { ScoreStore } from "../../lib/scores/score_store.ts";
import { testClientMain } from "../../lib/cli/test_client.ts";
import {
  freePort,
  programCommand,
  runProgram,
  startServer,
  tempDir,
} from "../helpers/processes.ts";

import { helpText, usageLine } from "../helpers/usage.ts";
import { computeServerMain } from "../../lib/cli/compute_server.ts";

import { clientMain } from "../../client.ts";
import { serverMain } from "../../server.ts";

const client = (...args: string[]) => runProgram("client.ts", ...args);
const server = (...args: string[]) => runProgram("server.ts", ...args);

Deno.test("computeServerMain() --help lists every Task 2 flag with its default and exits 0", async () => {
  const { code, stdout } = await helpText(computeServerMain);
  assert.equal(code, 0);
  assert.match(stdout, /--port=PORT\s+(?:.*\n {6,})*.*\(default: 1234\)/);
  assert.match(stdout, /--host=HOST\s+(?:.*\n {6,})*.*\(default: all interfaces\)/);
  assert.match(stdout, /--gap=MS\s+(?:.*\n {6,})*.*\(default: 50\)/);
  assert.match(stdout, /--timeout=MS\s+(?:.*\n {6,})*.*\(default: 30000\)/);
  assert.match(stdout, /--once\s+(?:.*\n {6,})*.*\(default: off\)/);
  assert.ok(stdout.includes("Examples:\n  deno task server --port=1234"));
});

Deno.test("testClientMain() --help lists every test client flag and exits 0", async () => {
  const { code, stdout } = await helpText(testClientMain);
  assert.equal(code, 0);
  for (const flag of ["--host", "--port", "--studentID", "--submit", "--clients", "--pause"]) {
    assert.ok(stdout.includes(flag), flag);
  }
  assert.match(stdout, /--submit=BOOL\s+(?:.*\n {6,})*.*\(required\)/);
  assert.match(stdout, /--db=FILE\s+(?:.*\n {6,})*.*\(default: scores\.db\)/);
  assert.match(stdout, /--timeout=MS\s+(?:.*\n {6,})*.*\(default: 10000\)/);
});

Deno.test("server.ts rejects bad command lines with exit code 2 and one clear line", async () => {
  const cases: [string[], string][] = [
    [["--verbose"], "error: Unknown flag --verbose"],
    [["--port=http"], "error: --port must be a whole number from 0 to 65535, got 'http'"],
    [["--gap=0"], "error: --gap must be a whole number from 1 to 60000, got '0'"],
    [["--gap=-5"], "error: --gap must be a whole number from 1 to 60000, got '-5'"],
    [["--gap=100", "--timeout=100"], "error: --timeout (100) must be longer than --gap (100)"],
    [["--once=yes"], "error: Option '--once' does not take an argument"],
  ];
  // One case as a process (exit 2, the line on stderr, nothing on stdout);
  // every case through serverMain, in process.
  const { code, stdout, stderr } = await server(...cases[4]![0]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.ok(stderr.startsWith(cases[4]![1]), stderr);
  for (const [args, message] of cases) {
    const line = await usageLine(serverMain(args));
    assert.ok(line.startsWith(message), `${args.join(" ")}: ${line}`);
  }
});

Deno.test("client.ts rejects bad Task 2 command lines with exit code 2", async () => {
  const ok = ["--port=1234", "--studentID=20200000"];
  const cases: [string[], string][] = [
    [["--task=2", ...ok], "error: Missing required flag --submit"],
    [["--port=1234", "--submit=False"], "error: Missing required flag --studentID"],
    [["--studentID=20200000", "--submit=False"], "error: Missing required flag --port"],
    [[...ok, "--submit=maybe"], "error: --submit must be True or False, got 'maybe'"],
    [[...ok, "--submit=False", "--clients=0"], "error: --clients must be a whole number"],
    [[...ok, "--submit=False", "--pause=soon"], "error: --pause must be a whole number"],
    [[...ok, "--submit=True", "--clients=1"], "error: --submit=True needs --clients of at least 4"],
    [[...ok, "--submit=False", "--bogus"], "error: Unknown flag --bogus"],
  ];
  const first = await client(...cases[0]![0]);
  assert.equal(first.code, 2);
  assert.ok(first.stderr.startsWith(cases[0]![1]), first.stderr);
  for (const [args, message] of cases) {
    const line = await usageLine(clientMain(args));
    assert.ok(line.startsWith(message), `${args.join(" ")}: ${line}`);
  }
});

Deno.test("testClientMain() with --submit=True records the score in the database", async () => {
  await using dir = await tempDir();
  const db = `${dir.path}/scores.db`;
  await using compute = serveCompute({ hostname: "127.0.0.1", gapMs: 5, log() {} });
  const lines: string[] = [];
  const args = [
    `--port=${compute.port}`,
    "--studentID=20200000",
    "--submit=True",
    "--pause=2",
    `--db=${db}`,
  ];
  assert.equal(await testClientMain(args, (line) => lines.push(line)), 0);
  assert.deepEqual(lines.slice(-6), [
    "Fib 8, Fact 8, Word 8",
    "-----",
    "Total points 40/40",
    "-----",
    "Submitting to database",
    "Database update successful: best Task 2 score of 20200000 is 40/40",
  ]);
  await using store = await ScoreStore.open(db);
  assert.equal(await store.best(20200000, 2), 40);
  assert.equal(await store.best(20200000, 1), undefined);
  const [attempt, ...more] = await store.attempts();
  assert.deepEqual(more, []);
  assert.deepEqual(
    [attempt!.task, attempt!.studentId, attempt!.score, attempt!.verdict, attempt!.best],
    [2, 20200000, 40, "GOOD", 40],
  );
  assert.equal(attempt!.peer, `127.0.0.1:${compute.port}`);
  assert.equal(attempt!.message, "Fib 8, Fact 8, Word 8");
});

Deno.test("testClientMain() with --submit=False touches no database and fails below 40", async () => {
  await using dir = await tempDir();
  const db = `${dir.path}/scores.db`;
  const port = freePort();
  const lines: string[] = [];
  const args = [`--port=${port}`, "--studentID=20200000", "--submit=False", `--db=${db}`];
  assert.equal(await testClientMain(args, (line) => lines.push(line)), 1);
  assert.ok(lines.includes("Total points 0/40"));
  assert.ok(!lines.includes("Submitting to database"));
  await assert.rejects(Deno.stat(db), Deno.errors.NotFound);
});

Deno.test("server.ts --once and client.ts --submit=True work end to end as processes", async () => {
  await using dir = await tempDir();
  const db = `${dir.path}/scores.db`;
  await using started = await startServer(...programCommand("server.ts", "--port=0", "--once"));
  const port = started.port;
  const run = await client(
    `--port=${port}`,
    "--studentID=20200000",
    "--submit=True",
    "--pause=5",
    `--db=${db}`,
  );
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /^\[Client1\] Socket connected to 127\.0\.0\.1:\d+$/m);
  assert.match(run.stdout, /^\[Client3\] UUID: 5d6dc07b61f93ad9b00e829ee52e6b92$/m);
  assert.match(run.stdout, /^Fib 8, Fact 8, Word 8\n-----\nTotal points 40\/40\n-----\n/m);
  assert.match(run.stdout, /^Database update successful/m);
  // --once: the server exits by itself once the batch is done.
  const ended = await started.output;
  const serverLog = ended.stdout;
  assert.equal(ended.code, 0, serverLog + ended.stderr);
  assert.match(serverLog, /\] Client name is: Client4$/m);
  assert.match(serverLog, /\] Fibonacci request from client, fib of \d+$/m);
  assert.match(serverLog, /All 4 client\(s\) of the batch sent COMPLETE; stopping \(--once\)$/m);
  await using store = await ScoreStore.open(db);
  assert.equal(await store.best(20200000, 2), 40);
});

Deno.test("server.ts --task=1 --task=2 (deno task grading-server --task=2) refuses, naming the right command", async () => {
  const { code, stderr } = await server("--task=1", "--task=2");
  assert.equal(code, 2);
  assert.match(stderr, /^error: --task was given twice, as 1 and as 2.*`deno task server`/);
});
