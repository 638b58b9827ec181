import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { explainCompileFailure, stripAnsi } from "../../tools/compile_failure.ts";
import { PERMISSION_FLAGS } from "../../tools/compile_permissions.ts";
import { compileArgs } from "../../tools/compile.ts";
import { binaryName, hostTarget, PROGRAMS, TARGETS } from "../../tools/compile_targets.ts";
import type { Program } from "../../tools/compile_targets.ts";
import { formatSha256Sums, writeSha256Sums } from "../../tools/sha256sums.ts";
import { runToEnd, startServer, tempDir } from "../helpers/processes.ts";
import type { Finished } from "../helpers/processes.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const decoder = new TextDecoder();

// What `deno compile` 2.9.6 printed (NO_COLOR unset) on a machine that
// cannot reach Deno's download server.
const OFFLINE_STDERR = "\x1b[0m\x1b[32mCheck\x1b[0m hello.ts\n" +
  "\x1b[0m\x1b[32mCompile\x1b[0m hello.ts to hello\n" +
  "\x1b[0m\x1b[32mDownload\x1b[0m https://dl.deno.land/release/v2.9.6/denort-x86_64-unknown-linux-gnu.zip\n" +
  "\x1b[0m\x1b[1m\x1b[31merror\x1b[0m: Writing deno compile executable to temporary file " +
  "'/tmp/probe/hello.tmp-889fade695fde447'\n\nCaused by:\n    0: Setting up base binary.\n" +
  "    1: error sending request for url (https://dl.deno.land/release/v2.9.6/" +
  "denort-x86_64-unknown-linux-gnu.zip): client error (Connect): dns error: failed to lookup " +
  "address information: Name or service not known\n    2: client error (Connect)\n" +
  "    3: dns error\n    4: failed to lookup address information: Name or service not known\n\n" +
  "Stack backtrace:\n   0: <unknown>\n";
// ... with DENORT_BIN=/nonexistent/denort, and with DENORT_BIN set to a
// Linux binary while compiling for Windows.
const MISSING_DENORT_STDERR = "Compile hello.ts to hello\nerror: Writing deno compile executable " +
  "to temporary file '/tmp/probe/hello.tmp-e3a5728736027ef9'\n\nCaused by:\n" +
  "    0: Could not find denort at '/nonexistent/denort'\n" +
  "    1: No such file or directory (os error 2)\n\nStack backtrace:\n   0: <unknown>\n";
const WRONG_DENORT_STDERR = "Compile hello.ts to h\nerror: Writing deno compile executable to " +
  "temporary file 'h.tmp'\n\nCaused by:\n    0: Writing binary bytes\n" +
  "    1: Invalid object: Failed to parse PE\n";

/** Runs `deno <args>` in the project root to the end, colours off. */
async function deno(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  const result = await runToEnd(Deno.execPath(), args, {
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
  });
  return { ...result, stderr: stripAnsi(result.stderr) };
}

const COMPILE = [
  "run",
  "--allow-run",
  "--allow-read",
  "--allow-write",
  "--allow-env=DENORT_BIN",
  "tools/compile.ts",
];

Deno.test("binaryName() gives each program and target its own file, .exe on Windows", () => {
  const names = TARGETS.flatMap((target) => PROGRAMS.map((p) => binaryName(p, target)));
  assert.equal(new Set(names).size, 10);
  assert.deepEqual(names.filter((name) => name.endsWith(".exe")), [
    "client-x86_64-pc-windows-msvc.exe",
    "server-x86_64-pc-windows-msvc.exe",
  ]);
  assert.ok(names.includes("server-aarch64-apple-darwin"));
  assert.ok(names.includes("client-aarch64-unknown-linux-gnu"));
});

Deno.test("writeSha256Sums() writes the lines sha256sum -c reads", async () => {
  await using dir = await tempDir();
  await Deno.writeTextFile(join(dir.path, "server-x"), "");
  await Deno.writeTextFile(join(dir.path, "client-x"), "abc");
  const text = await writeSha256Sums(dir.path, ["server-x", "client-x"]);
  assert.equal(
    text,
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  client-x\n" +
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  server-x\n",
  );
  assert.throws(() => formatSha256Sums([{ name: "../x", hex: "0".repeat(64) }]), RangeError);
  // Where coreutils is installed, let sha256sum itself check the file.
  const check = await new Deno.Command("sha256sum", { args: ["-c", "SHA256SUMS"], cwd: dir.path })
    .output().catch((error) => {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    });
  if (check !== undefined) {
    assert.equal(decoder.decode(check.stdout), "client-x: OK\nserver-x: OK\n");
  }
});

Deno.test("PERMISSION_FLAGS grants net, read, write, setPriority and no prompt, nothing more", () => {
  assert.deepEqual(
    [...PERMISSION_FLAGS].sort(),
    ["--allow-net", "--allow-read", "--allow-sys=setPriority", "--allow-write", "--no-prompt"],
  );
});

Deno.test("explainCompileFailure() turns the real offline failure into one sentence", () => {
  const sentence = explainCompileFailure(OFFLINE_STDERR, "x86_64-unknown-linux-gnu");
  assert.ok(sentence !== undefined);
  assert.ok(!sentence.includes("\n") && !sentence.includes("\x1b"), sentence);
  assert.match(sentence, /could not download the denort runtime for x86_64-unknown-linux-gnu/);
  assert.match(sentence, /denort-x86_64-unknown-linux-gnu\.zip/);
  assert.match(sentence, /machine with internet access, or set DENORT_BIN/);
  assert.match(sentence, /\.$/);
  assert.equal(sentence.match(/\. /g), null, "one sentence");
});

Deno.test("explainCompileFailure() names a DENORT_BIN that is missing or for another target", () => {
  assert.match(
    explainCompileFailure(MISSING_DENORT_STDERR, "x86_64-apple-darwin") ?? "",
    /^DENORT_BIN is set to '\/nonexistent\/denort', which does not exist;/,
  );
  assert.match(
    explainCompileFailure(WRONG_DENORT_STDERR, "x86_64-pc-windows-msvc") ?? "",
    /not a denort binary for x86_64-pc-windows-msvc/,
  );
  assert.equal(explainCompileFailure("error: TS2304 [ERROR]: x", "x86_64-apple-darwin"), undefined);
});

Deno.test("compile.ts --help prints usage and exits 0; unknown flags exit 2", async () => {
  const help = await deno([...COMPILE, "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: deno task compile/);
  assert.match(help.stdout, /--host-only/);
  const bogus = await deno([...COMPILE, "--bogus"]);
  assert.equal(bogus.code, 2);
  assert.match(bogus.stderr, /^error: Unknown flag --bogus\n/);
  const target = await deno([...COMPILE, "--target=x86_64-linux"]);
  assert.equal(target.code, 2);
  assert.match(target.stderr, /Unknown target 'x86_64-linux'/);
});

Deno.test("compile.ts stops with one sentence when DENORT_BIN is unusable", async () => {
  await using dir = await tempDir();
  const missing = join(dir.path, "no-such-denort");
  const env = { DENORT_BIN: missing };
  const two = await deno([...COMPILE, `--out-dir=${dir.path}`], env);
  assert.equal(two.code, 2, "DENORT_BIN fits one target only");
  assert.match(two.stderr, /choose exactly one with --target or --host-only/);
  const one = await deno([...COMPILE, "--host-only", `--out-dir=${dir.path}`], env);
  assert.equal(one.code, 1);
  assert.equal(one.stderr.trimEnd().split("\n").length, 1, one.stderr);
  assert.match(
    one.stderr,
    /^error: DENORT_BIN is set to '.*no-such-denort', which does not exist;/,
  );
});

// ---- End to end: client and server on loopback ---------------------------

/** Starts `program` (client or server) with `args`: its command line. */
type Launcher = (program: Program, args: string[]) => [string, string[]];

/** Runs the end-to-end checks, every process in `cwd`. */
async function endToEnd(t: Deno.TestContext, launch: Launcher, cwd: string): Promise<void> {
  await t.step("--help works for every role", async () => {
    const roles: [Program, string[]][] = [
      ["server", ["--task=1"]],
      ["client", []],
      ["server", []],
      ["client", ["--submit=False"]],
    ];
    for (const [program, args] of roles) {
      const help = await runToEnd(...launch(program, [...args, "--help"]), { cwd });
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, /^Usage: /);
      assert.doesNotMatch(help.stdout, /Usage: deno /);
    }
  });

  await t.step("the compute server answers the Task 2 test client", async () => {
    await using server = await startServer(...launch("server", ["--port=0"]), cwd);
    const run = await runToEnd(
      ...launch("client", [
        `--port=${server.port}`,
        "--studentID=20200000",
        "--submit=False",
        "--pause=5", // not the course's 150 ms: this checks permissions, not timing
      ]),
      { cwd },
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Total points 40\/40/);
  });

  await t.step("the grading server scores the decryption client 50", async () => {
    const args = ["--task=1", "--port=0", `--db=${join(cwd, "scores.db")}`];
    await using server = await startServer(...launch("server", args), cwd);
    const run = await runToEnd(
      ...launch("client", ["--host=127.0.0.1", `--port=${server.port}`, "--studentID=20200000"]),
      { cwd },
    );
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Score: 50/);
  });
}

Deno.test("PERMISSION_FLAGS are enough: deno run with them serves, tests and scores", async (t) => {
  await using dir = await tempDir();
  await endToEnd(
    t,
    (program, args) => [
      Deno.execPath(),
      ["run", ...PERMISSION_FLAGS, join(ROOT, `${program}.ts`), ...args],
    ],
    dir.path,
  );
});

/** Compiles a tiny script once to learn whether `deno compile` works here. */
async function probeRuntime(): Promise<string | undefined> {
  await using dir = await tempDir();
  const script = join(dir.path, "probe.ts");
  await Deno.writeTextFile(script, "console.log('ok');\n");
  const result = await deno([
    "compile",
    "--no-config",
    // Type-checking a one-line script in a fresh folder costs ~0.8 s of CPU every run and
    // cannot fail; the probe asks only whether the runtime binary can be had.
    "--no-check",
    "--output",
    join(dir.path, "probe"),
    script,
  ]);
  if (result.code === 0) return undefined;
  // Any other failure is no reason to skip: the test below then fails loudly.
  return explainCompileFailure(result.stderr, Deno.build.target);
}

const UNAVAILABLE = await probeRuntime();
if (UNAVAILABLE !== undefined) {
  console.log(`compile_test: the compiled end-to-end test is IGNORED: ${UNAVAILABLE}`);
}

Deno.test({
  name: "deno task compile builds host binaries that serve, test and score on loopback",
  ignore: UNAVAILABLE !== undefined,
  async fn(t) {
    await using dir = await tempDir();
    const dist = join(dir.path, "dist");
    const built = await deno(["task", "compile", "--host-only", `--out-dir=${dist}`]);
    assert.equal(built.code, 0, built.stderr);
    const sums = await Deno.readTextFile(join(dist, "SHA256SUMS"));
    assert.match(sums, /^[0-9a-f]{64} {2}client-\S+\n[0-9a-f]{64} {2}server-\S+\n$/);
    await endToEnd(
      t,
      (program, args) => [join(dist, binaryName(program, hostTarget())), args],
      dir.path,
    );
  },
});

Deno.test("compileArgs() builds each program with its workers and exactly the permission flags", () => {
  const target = "x86_64-unknown-linux-gnu";
  for (const program of PROGRAMS) {
    const args = compileArgs(program, target, `dist/${program}`);
    assert.deepEqual(args.slice(0, 5), [
      "compile",
      "--target",
      target,
      "--output",
      `dist/${program}`,
    ]);
    assert.deepEqual(args.filter((arg) => arg.startsWith("--allow") || arg === "--no-prompt"), [
      ...PERMISSION_FLAGS,
    ]);
    assert.ok(args.at(-1)!.endsWith(`${program}.ts`), args.at(-1));
    assert.ok(args.filter((arg) => arg === "--include").length >= 1, "the workers are included");
  }
});
