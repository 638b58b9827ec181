/**
 * The one path every program takes: `--help`, `--version`, usage errors and
 * exit codes (0 success, 1 failure, 2 usage error).
 *
 * @module
 */

import config from "../../deno.json" with { type: "json" };
import { describeError } from "../net/errors.ts";
import type { Logger } from "../net/logger.ts";
import {
  type Command,
  type FlagSpecs,
  type FlagValues,
  formatHelp,
  parseCommand,
} from "./flags.ts";
import { UsageError } from "./usage_error.ts";

/**
 * This toolkit's version, from `deno.json`.
 *
 * @example
 * ```ts
 * import { VERSION } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * assert.match(VERSION, /^\d+\.\d+\.\d+/);
 * ```
 */
export const VERSION: string = config.version;

/**
 * Runs one program role: prints `--help` or `--version` (exit code 0), or
 * parses the flags into typed values and calls `run` with them. Usage errors
 * are thrown as {@linkcode UsageError} for {@linkcode runMain} to report.
 *
 * @example
 * ```ts
 * import { flag, runCommand } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const command = {
 *   usage: "demo --port=PORT",
 *   summary: "A demo.",
 *   flags: { port: flag.port({ description: "Port", required: true }) },
 *   examples: ["demo --port=4000"],
 * };
 * const lines: string[] = [];
 * const print = (line: string) => lines.push(line);
 * assert.equal(await runCommand(command, ["--port=7"], async ({ port }) => port, print), 7);
 * assert.equal(await runCommand(command, ["--version"], async () => 1, print), 0);
 * assert.match(lines[0]!, /^demo \d+\.\d+\.\d+/);
 * ```
 */
export async function runCommand<F extends FlagSpecs>(
  command: Command<F>,
  args: readonly string[],
  run: (flags: FlagValues<F>) => Promise<number>,
  print: Logger = console.log,
): Promise<number> {
  const parsed = parseCommand(command, args);
  if (parsed.kind !== "run") {
    print(helpOrVersion(command, parsed.kind));
    return 0;
  }
  return await run(parsed.flags);
}

/** What `--help` or `--version` prints for `command`. */
function helpOrVersion<F extends FlagSpecs>(command: Command<F>, kind: "help" | "version"): string {
  return kind === "help"
    ? formatHelp(command)
    : `${command.program ?? command.usage.split(" ")[0]} ${VERSION}`;
}

/** The lines a usage error prints: what was wrong, and where every flag is. */
function usageErrorText(error: UsageError): string {
  return `error: ${error.message}\nRun with --help to see every flag.`;
}

/**
 * Runs a program's `main` and sets `Deno.exitCode` from its result. A
 * {@linkcode UsageError} prints `error: ...` and a pointer to `--help`, exit
 * code 2; any other error prints `error: ...`, exit code 1. The process then
 * ends on its own once nothing is left open.
 *
 * @example
 * ```ts
 * import { runMain } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * await runMain(() => Promise.resolve(0));
 * assert.equal(Deno.exitCode, 0);
 * ```
 */
export async function runMain(main: () => Promise<number>): Promise<void> {
  try {
    Deno.exitCode = await main();
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(usageErrorText(error));
      Deno.exitCode = 2;
    } else {
      console.error(`error: ${describeError(error)}`);
      Deno.exitCode = 1;
    }
  }
}

/**
 * Reads a command line for a program that returns its exit code rather than
 * running through {@linkcode runCommand}: the typed flags to run with, or the
 * exit code once `--help`/`--version` was printed (0) or a usage error was
 * (2, `error: ...` on stderr, never a stack trace).
 *
 * @example
 * ```ts
 * import { flag, readCommandLine } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const command = {
 *   usage: "bench [flags]",
 *   summary: "A bench.",
 *   flags: { runs: flag.integer({ description: "Runs", min: 1, max: 100, default: 5 }) },
 *   examples: ["bench --runs=3"],
 * };
 * assert.deepEqual(readCommandLine(command, ["--runs=3"]), { runs: 3 });
 * assert.equal(readCommandLine(command, ["--help"], () => {}), 0);
 * ```
 */
export function readCommandLine<F extends FlagSpecs>(
  command: Command<F>,
  args: readonly string[],
  print: Logger = console.log,
): FlagValues<F> | number {
  let parsed;
  try {
    parsed = parseCommand(command, args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(usageErrorText(error));
    return 2;
  }
  if (parsed.kind === "run") return parsed.flags;
  print(helpOrVersion(command, parsed.kind));
  return 0;
}

/**
 * The flag step of a script that runs at its top level (a bench script):
 * {@linkcode readCommandLine}, exiting with its code when there is nothing
 * to run (`--help`, `--version`: 0; a usage error: 2).
 *
 * @example
 * ```ts no-assert
 * import { flag, parseScriptFlags } from "@cs341/practice2/cli";
 *
 * const flags = parseScriptFlags({
 *   usage: "deno run -A bench/x.ts [flags]",
 *   summary: "A bench.",
 *   flags: { runs: flag.integer({ description: "Runs", min: 1, max: 100, default: 5 }) },
 *   examples: ["deno run -A bench/x.ts --runs=3"],
 * }, ["--runs=3"]);
 * console.log(flags.runs);
 * ```
 */
export function parseScriptFlags<F extends FlagSpecs>(
  command: Command<F>,
  args: readonly string[],
): FlagValues<F> {
  const read = readCommandLine(command, args);
  if (typeof read === "number") Deno.exit(read);
  return read;
}
