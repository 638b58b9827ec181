import assert from "node:assert/strict";
import { encodePacket } from "../../lib/task1/protocol/packet.ts";
import { serveTcp } from "../../lib/net/listener.ts";
import { serveGrading } from "../../lib/task1/grading/grading_server.ts";
import {
  freePort,
  programCommand,
  ROOT,
  runProgram,
  runToEnd,
  startServer,
  tempDir,
} from "../helpers/processes.ts";
import { writeAll } from "../helpers/sockets.ts";
import { helpText, usageLine } from "../helpers/usage.ts";
import { decryptClientMain } from "../../lib/cli/decrypt_client.ts";
import { gradingServerMain } from "../../lib/cli/grading_server.ts";

import { clientMain } from "../../client.ts";
import { serverMain } from "../../server.ts";

const client = (...args: string[]) => runProgram("client.ts", ...args);
const grading = (...args: string[]) => runProgram("server.ts", "--task=1", ...args);

Deno.test("decryptClientMain() --help lists every Task 1 flag with its default and exits 0", async () => {
  const { code, stdout } = await helpText(decryptClientMain);
  assert.equal(code, 0);
  for (
    const flag of [
      "--host=HOST",
      "--port=PORT",
      "--studentID=ID",
      "--keyword=WORD",
      "--style=STYLE",
      "--timeout=MS",
      "--deadline=MS",
      "--max-bytes=BYTES",
      "--max-packets=N",
      "--trace",
    ]
  ) {
    assert.ok(stdout.includes(flag), flag);
  }
  assert.match(stdout, /--keyword=WORD\s+(?:.*\n {6,})*.*\(default: sbmt\)/);
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
  // One case as a process: exit code 2, nothing on stdout, the line and the
  // pointer to --help on stderr. Every case through clientMain, in process:
  // a UsageError is what runMain turns into exactly that.
  const { code, stdout, stderr } = await client(...cases[0]![0]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.ok(stderr.startsWith(cases[0]![1]), stderr);
  assert.match(stderr, /\nRun with --help to see every flag\.\n$/);
  assert.equal(stderr.split("\n").length, 3); // two lines
  for (const [args, message] of cases) {
    const line = await usageLine(clientMain(args));
    assert.ok(line.startsWith(message), `${args.join(" ")}: ${line}`);
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

Deno.test("gradingServerMain() --help lists --drain and --trace with their defaults", async () => {
  const { code, stdout } = await helpText(gradingServerMain);
  assert.equal(code, 0);
  assert.match(stdout, /--drain=MS\s+(?:.*\n {6,})*.*\(default: 2000\)/);
  assert.match(stdout, /--trace\s+Show every packet/);
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
  // The roster case as a process (exit 1: not a usage error); the usage
  // errors through serverMain, in process (runMain exits 2 on them).
  const roster = await grading(...cases[3]![0]);
  assert.equal(roster.code, 1);
  assert.ok(roster.stderr.startsWith(cases[3]![2]), roster.stderr);
  for (const [args, code, message] of cases.slice(0, 3)) {
    assert.equal(code, 2);
    const line = await usageLine(serverMain(["--task=1", ...args]));
    assert.ok(line.startsWith(message), line);
  }
});

Deno.test("client.ts escapes what the server says and refuses a score out of range", async () => {
  const answers: [string, number, string][] = [
    ["FAIL", 10, "\x1b[2J\x1b]0;owned\x07done\nKEY: GOOD"],
    ["FAIL", 4294967295, "huge"],
  ];
  const results = [];
  for (const [keyword, score, message] of answers) {
    await using server = serveTcp({ hostname: "127.0.0.1" }, async (conn) => {
      await conn.read(new Uint8Array(16));
      const data = new TextEncoder().encode(message);
      await writeAll(conn, encodePacket({ flag: 1, keyword, sid: score, data }));
    }, { log: console.error });
    results.push(
      await client("--host=127.0.0.1", `--port=${server.port}`, "--studentID=20200000"),
    );
  }
  assert.equal(results[0]!.code, 1);
  assert.equal(
    results[0]!.stdout,
    "KEY: FAIL\nScore: 10\nMessage: \\x1b[2J\\x1b]0;owned\\x07done\\x0aKEY: GOOD\n",
  );
  assert.equal(results[1]!.code, 1);
  assert.equal(results[1]!.stdout, "");
  assert.equal(
    results[1]!.stderr,
    "error: Result packet carries score 4294967295, expected 0 to 50\n",
  );
});

Deno.test("client.ts and server.ts --task=1 --trace show every packet on stderr", async () => {
  await using dir = await tempDir();
  await using server = await startServer(
    ...programCommand(
      "server.ts",
      "--task=1",
      "--port=0",
      `--db=${dir.path}/scores.db`,
      "--size=100",
      "--trace",
      "--drain=100",
    ),
  );
  const result = await client(
    "--host=127.0.0.1",
    `--port=${server.port}`,
    "--studentID=20200000",
    "--keyword=test",
    "--trace",
  );
  const log = await server.stop();
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stderr.trim().split("\n");
  assert.equal(lines.length, 4, result.stderr);
  assert.match(
    lines[0]!,
    /^trace -> flag 1, checksum 0x[0-9a-f]{4} .*keyword 'test', sid 20200000, length 16/,
  );
  assert.match(lines[1]!, /^trace <- flag 1, .*length 116, data [0-9a-f]{32} \|.*\| \+84 bytes$/);
  assert.match(lines[3]!, /^trace <- flag 1, .*keyword 'GOOD', sid 50, /);
  const serverLines = log.stderr.trim().split("\n");
  assert.equal(serverLines.length, 4, log.stderr);
  assert.match(serverLines[0]!, /^trace \[127\.0\.0\.1:\d+\] <- flag 1, .*keyword 'test'/);
});

Deno.test("client.ts prints one line when the grading server shut down during the session", async () => {
  // The very packet a grading server sends a session it cuts on shutdown.
  const grading = serveGrading({ hostname: "127.0.0.1", log: () => {} });
  const cut = await Deno.connect({ hostname: "127.0.0.1", port: grading.port });
  await grading.close({ graceMs: 0, goodbyeMs: 10_000 });
  const packet = new Uint8Array(await new Response(cut.readable).arrayBuffer());
  await using server = serveTcp({ hostname: "127.0.0.1" }, async (conn) => {
    await conn.read(new Uint8Array(16));
    await writeAll(conn, packet);
  }, { log: console.error });
  const result = await client("--host=127.0.0.1", `--port=${server.port}`, "--studentID=20200000");
  assert.equal(result.code, 1);
  assert.match(
    result.stdout,
    /^The server shut down during your session: SERVER SHUTTING DOWN: .*nothing was stored.*\n$/,
  );
  assert.equal(result.stdout.split("\n").length, 2);
});
