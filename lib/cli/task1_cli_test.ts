import assert from "node:assert/strict";
import { encodePacket } from "../task1/packet.ts";
import { serveTcp } from "../net/listener.ts";
import {
  freePort,
  programCommand,
  ROOT,
  runProgram,
  runToEnd,
  startServer,
  tempDir,
} from "../../testing/processes.ts";
import { writeAll } from "../../testing/sockets.ts";

const client = (...args: string[]) => runProgram("client.ts", ...args);
const grading = (...args: string[]) => runProgram("server.ts", "--task=1", ...args);

Deno.test("client.ts --help lists every Task 1 flag with its default and exits 0", async () => {
  const { code, stdout } = await client("--help");
  assert.equal(code, 0);
  for (
    const flag of [
      "--host=HOST",
      "--port=PORT",
      "--studentID=ID",
      "--keyword=WORD",
      "--style=STYLE",
      "--timeout=MS",
    ]
  ) {
    assert.ok(stdout.includes(flag), flag);
  }
  assert.match(stdout, /--keyword=WORD\s+.*\(default: sbmt\)/);
  assert.match(stdout, /Example/);
});

Deno.test("client.ts rejects bad command lines with exit code 2 and one clear line", async () => {
  const ok = ["--host=127.0.0.1", "--port=4000", "--studentID=20200000"];
  const cases: [string[], string][] = [
    [["--port=4000", "--studentID=20200000"], "error: Missing required flag --host"],
    [["--host=127.0.0.1", "--port=4000"], "error: Missing required flag --studentID"],
    [[...ok, "--verbose"], "error: Unknown flag --verbose"],
    [
      ["--host=127.0.0.1", "--port=0", "--studentID=20200000"],
      "error: --port must be a whole number from 1 to 65535, got '0'",
    ],
    [
      ["--host=127.0.0.1", "--port=http", "--studentID=20200000"],
      "error: --port must be a whole number from 1 to 65535, got 'http'",
    ],
    [
      ["--host=127.0.0.1", "--port=4000", "--studentID=2020000"],
      "error: --studentID must be 8 digits, got '2020000'",
    ],
    [[...ok, "--keyword=SBMT"], "error: --keyword must be 4 lowercase letters, got 'SBMT'"],
    [[...ok, "--style=later"], "error: --style must be per-packet or rechunk, got 'later'"],
    [[...ok, "extra"], "error: Unexpected argument 'extra'"],
  ];
  // Each case is its own process; they run at once.
  const results = await Promise.all(cases.map(([args]) => client(...args)));
  for (const [i, [args, message]] of cases.entries()) {
    const { code, stdout, stderr } = results[i]!;
    assert.equal(code, 2, args.join(" "));
    assert.equal(stdout, "");
    assert.ok(stderr.startsWith(message), `${args.join(" ")}: ${stderr}`);
    assert.match(stderr, /Run with --help/);
  }
});

Deno.test("client.ts exits 1 with one line when the server is not there", async () => {
  const port = freePort();
  const { code, stderr } = await client(
    "--host=127.0.0.1",
    `--port=${port}`,
    "--studentID=20200000",
  );
  assert.equal(code, 1);
  assert.equal(
    stderr,
    `error: Cannot connect to 127.0.0.1:${port}: nothing listens there ` +
      "(is the server running? a server bound to another address needs --host)\n",
  );
});

Deno.test("client.ts prints the course's three lines and exits 0 only on GOOD", async () => {
  for (const [keyword, code] of [["GOOD", 0], ["FAIL", 1]] as const) {
    await using server = serveTcp({ hostname: "127.0.0.1" }, async (conn) => {
      await conn.read(new Uint8Array(16));
      const data = new TextEncoder().encode(`${keyword} MESSAGE`);
      await writeAll(
        conn,
        encodePacket({ flag: 1, keyword, sid: keyword === "GOOD" ? 50 : 10, data }),
      );
    }, { log: console.error });
    const result = await client(
      "--host=127.0.0.1",
      `--port=${server.port}`,
      "--studentID=20200000",
    );
    assert.equal(result.code, code);
    const score = keyword === "GOOD" ? 50 : 10;
    assert.equal(result.stdout, `KEY: ${keyword}\nScore: ${score}\nMessage: ${keyword} MESSAGE\n`);
  }
});

Deno.test("server.ts --task=1 and client.ts score 50 and store it; scores prints it", async () => {
  await using dir = await tempDir();
  const db = `${dir.path}/scores.db`;
  await using server = await startServer(
    ...programCommand("server.ts", "--task=1", "--port=0", `--db=${db}`),
  );
  const result = await client("--host=127.0.0.1", `--port=${server.port}`, "--studentID=20200000");
  const log = await server.stop();
  assert.equal(result.code, 0, result.stderr);
  assert.equal(
    result.stdout,
    "KEY: GOOD\nScore: 50\nMessage: DECRYPTED DATA MATCH & YOUR POINTS ARE REGISTERED ON DATABASE\n",
  );
  // A graceful exit on SIGTERM; Windows has no SIGTERM handler and kills outright.
  if (Deno.build.os !== "windows") {
    assert.equal(log.code, 0, log.stderr);
    assert.match(log.stdout, /\] sid 20200000 sbmt: 50\/50 GOOD \(best 50\): DECRYPTED DATA MATCH/);
  }
  const scores = await runToEnd(Deno.execPath(), [
    "run",
    "--allow-read",
    "--allow-write",
    "lib/cli/scores.ts",
    `--db=${db}`,
  ], { cwd: ROOT });
  assert.match(scores.stdout, /^20200000 +1 +50\/50 +50 +1 /m);
});

Deno.test("server.ts --task=1 rejects bad flags and a missing roster", async () => {
  const cases: [string[], number, string][] = [
    [["--size=-1"], 2, "error: --size must be a whole number from 0 to 10485760, got '-1'"],
    [["--port=99999"], 2, "error: --port must be a whole number from 0 to 65535, got '99999'"],
    [["--bogus"], 2, "error: Unknown flag --bogus"],
    [
      ["--roster=/nonexistent/roster.txt"],
      1,
      "error: Cannot read roster '/nonexistent/roster.txt'",
    ],
  ];
  const results = await Promise.all(cases.map(([args]) => grading(...args)));
  for (const [i, [args, code, message]] of cases.entries()) {
    const result = results[i]!;
    assert.equal(result.code, code, args.join(" "));
    assert.ok(result.stderr.startsWith(message), result.stderr);
  }
});
