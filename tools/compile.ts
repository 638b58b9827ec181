/**
 * `deno task compile`: builds standalone `client` and `server` binaries for
 * every supported target (or the ones asked for) into `dist/`, named
 * `<program>-<target>[.exe]`, and writes `dist/SHA256SUMS`.
 *
 * `deno compile` needs the `denort` runtime of each target. It downloads
 * it (and caches it in DENO_DIR) unless the environment variable
 * `DENORT_BIN` names a local one, which deno reads itself; this tool only
 * passes the environment through. One `DENORT_BIN` fits one target, so with
 * it set exactly one target must be chosen.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { type Command, flag } from "../lib/cli/flags.ts";
import { runCommand, runMain } from "../lib/cli/main.ts";
import { UsageError } from "../lib/cli/usage_error.ts";
import { CompileError, explainCompileFailure, stripAnsi } from "./compile_failure.ts";
import { PERMISSION_FLAGS } from "./compile_permissions.ts";
import { binaryName, hostTarget, parseTargets, PROGRAMS } from "./compile_targets.ts";
import type { Program, Target } from "./compile_targets.ts";
import { writeSha256Sums } from "./sha256sums.ts";

const FLAGS = {
  target: flag.string({
    value: "TARGET",
    description: "Build this target only; repeat the flag or give a comma list",
    defaultText: "all",
  }),
  "host-only": flag.switch({
    description: `Build only this machine's target (${Deno.build.target})`,
  }),
  "out-dir": flag.string({
    value: "DIR",
    description: "Directory for the binaries and SHA256SUMS",
    default: "dist",
  }),
};

const SPEC: Command<typeof FLAGS> = {
  usage: "deno task compile [--target=TARGET]... [--host-only] [--out-dir=DIR]",
  program: "compile",
  summary: "Builds standalone client and server binaries for each target, with SHA256SUMS. " +
    "deno compile downloads the denort runtime of each target; offline, set DENORT_BIN " +
    "to a denort binary and build its one target.",
  flags: FLAGS,
  examples: [
    "deno task compile",
    "deno task compile --host-only",
    "deno task compile --target=x86_64-apple-darwin,aarch64-apple-darwin",
    "DENORT_BIN=/opt/denort deno task compile --target=x86_64-unknown-linux-gnu",
  ],
};

/**
 * Modules the entry points do not import statically: the Web Workers (the
 * score store's, the compute pool's, the listener threads') and the roles
 * and the capture writer that `client.ts`, `server.ts` and `--pcap` load
 * with `import()` (literal specifiers, which deno compile follows; listed
 * anyway, so that a binary never lacks one).
 */
const WORKERS = [
  "../lib/scores/score_worker.ts",
  "../lib/task2/compute/compute_worker.ts",
  "../lib/task2/server/server_thread.ts",
  "../lib/cli/decrypt_client.ts",
  "../lib/cli/test_client.ts",
  "../lib/cli/compute_server.ts",
  "../lib/cli/grading_server.ts",
  "../lib/cli/scores.ts",
  "../lib/cli/grade/grade.ts",
  "../lib/net/pcap.ts",
];

const ENTRY_POINTS: Record<Program, string> = {
  client: fileURLToPath(new URL("../client.ts", import.meta.url)),
  server: fileURLToPath(new URL("../server.ts", import.meta.url)),
};

/** Pulls every `--target=X` / `--target X` out of `args`. */
function takeTargets(args: readonly string[]): { values: string[]; rest: string[] } {
  const values: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--target") {
      const value = args[++i];
      if (value === undefined) throw new UsageError("Flag --target needs a value");
      values.push(value);
    } else if (arg.startsWith("--target=")) {
      values.push(arg.slice("--target=".length));
    } else {
      rest.push(arg);
    }
  }
  return { values, rest };
}

/**
 * The `deno compile` arguments that build `program` for `target` as
 * `output`: the workers it loads by URL and its permissions.
 *
 * @example
 * ```ts
 * import { compileArgs } from "./compile.ts";
 * import assert from "node:assert/strict";
 *
 * const args = compileArgs("server", "x86_64-unknown-linux-gnu", "dist/server-x");
 * assert.deepEqual(args.slice(0, 5), [
 *   "compile", "--target", "x86_64-unknown-linux-gnu", "--output", "dist/server-x",
 * ]);
 * assert.ok(args.includes("--allow-net") && !args.includes("-A"));
 * ```
 */
export function compileArgs(program: Program, target: Target, output: string): string[] {
  return [
    "compile",
    "--target",
    target,
    "--output",
    output,
    "--exclude-unused-npm",
    // Workers are loaded by URL, not imported, so deno compile must be told.
    ...WORKERS.flatMap((worker) => ["--include", fileURLToPath(new URL(worker, import.meta.url))]),
    ...PERMISSION_FLAGS,
    ENTRY_POINTS[program],
  ];
}

async function compileOne(program: Program, target: Target, outDir: string): Promise<string> {
  const name = binaryName(program, target);
  const output = await new Deno.Command(Deno.execPath(), {
    args: compileArgs(program, target, `${outDir}/${name}`),
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) {
    const stderr = stripAnsi(new TextDecoder().decode(output.stderr));
    const sentence = explainCompileFailure(stderr, target);
    if (sentence !== undefined) throw new CompileError(sentence, { cause: stderr });
    console.error(stderr.trimEnd());
    throw new CompileError(
      `deno compile failed for ${name}; its output is above.`,
      { cause: stderr },
    );
  }
  return name;
}

/** Fails when the host binary just built is the plain deno CLI (DENORT_BIN=deno). */
async function checkNotPlainDeno(path: string): Promise<void> {
  const output = await new Deno.Command(path, {
    args: ["--help"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (/Usage: deno /.test(new TextDecoder().decode(output.stdout))) {
    await Deno.remove(path);
    throw new CompileError(
      `${path} runs as the plain deno CLI, so DENORT_BIN points at deno rather than ` +
        "denort; set it to a denort binary (from denort-<target>.zip) instead.",
    );
  }
}

function compileMain(args: readonly string[]): Promise<number> {
  const { values, rest } = takeTargets(args);
  return runCommand(SPEC, rest, (flags) => build(flags["host-only"], flags["out-dir"], values));
}

async function build(hostOnly: boolean, outDir: string, values: string[]): Promise<number> {
  if (hostOnly && values.length > 0) {
    throw new UsageError("Use either --host-only or --target, not both");
  }
  const targets = hostOnly ? [hostTarget()] : parseTargets(values);
  const denortBin = Deno.env.get("DENORT_BIN");
  if (denortBin !== undefined && targets.length !== 1) {
    throw new UsageError(
      `DENORT_BIN (${denortBin}) is the runtime of one target, so choose exactly one ` +
        "with --target or --host-only",
    );
  }
  await Deno.mkdir(outDir, { recursive: true });
  await Deno.remove(`${outDir}/SHA256SUMS`).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  if (denortBin !== undefined) console.log(`Using DENORT_BIN=${denortBin}`);
  const built: string[] = [];
  for (const target of targets) {
    for (const program of PROGRAMS) {
      const name = await compileOne(program, target, outDir);
      if (denortBin !== undefined && target === Deno.build.target) {
        await checkNotPlainDeno(`${outDir}/${name}`);
      }
      console.log(`Built ${outDir}/${name}`);
      built.push(name);
    }
  }
  await writeSha256Sums(outDir, built);
  console.log(`Wrote ${outDir}/SHA256SUMS (${built.length} files)`);
  return 0;
}

if (import.meta.main) await runMain(() => compileMain(Deno.args));
