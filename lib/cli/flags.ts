/**
 * Typed command-line flags. Each program declares its flags once, with
 * {@linkcode flag} (declared in `flag_specs.ts`, re-exported here);
 * {@linkcode parseFlags} turns a command line into a typed
 * object (numbers as numbers, booleans as booleans, absent as `undefined`)
 * and {@linkcode formatHelp} renders `--help` from the same declaration.
 *
 * Flags follow the course's formats: `--port=4000` and `--port 4000` both
 * work, and `--submit=True` takes the course's boolean words.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { describeError } from "../net/errors.ts";
import type { FlagSpecs, FlagValues } from "./flag_specs.ts";
import { UsageError } from "./usage_error.ts";

export {
  type Flag,
  flag,
  type FlagOptions,
  type FlagSpecs,
  type FlagValue,
  type FlagValues,
  type IntegerOptions,
} from "./flag_specs.ts";

/**
 * Parses `args` against `flags`. Unknown flags, positional arguments,
 * malformed values and missing required flags throw {@linkcode UsageError}.
 * `--help` and `--version` are left to {@linkcode parseCommand}.
 *
 * @example
 * ```ts
 * import { flag, parseFlags } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const flags = { port: flag.port({ description: "Port", default: 1234 }) };
 * assert.deepEqual(parseFlags(flags, ["--port=4000"]), { port: 4000 });
 * assert.throws(() => parseFlags(flags, ["--port=0"]), {
 *   name: "UsageError",
 *   message: "--port must be a whole number from 1 to 65535, got '0'",
 * });
 * assert.throws(() => parseFlags(flags, ["--prot=1"]), { message: "Unknown flag --prot" });
 * ```
 */
export function parseFlags<F extends FlagSpecs>(
  flags: F,
  args: readonly string[],
  example?: string,
): FlagValues<F> {
  const values = readArgs(flags, args);
  const result: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(flags)) {
    const text = values[name];
    if (text === undefined || text === false) {
      if (spec.required) {
        const hint = example === undefined ? "" : ` (example: ${example})`;
        throw new UsageError(`Missing required flag --${name}${hint}`);
      }
      result[name] = spec.fallback;
    } else {
      result[name] = spec.parse(text === true ? "" : text, name);
    }
  }
  return result as FlagValues<F>;
}

type RawValues = Record<string, string | boolean | undefined>;

function readArgs(flags: FlagSpecs, args: readonly string[]): RawValues {
  const options: Record<string, { type: "string" | "boolean" }> = {
    help: { type: "boolean" },
    version: { type: "boolean" },
  };
  for (const [name, spec] of Object.entries(flags)) options[name] = { type: spec.type };
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false })
      .values as RawValues;
  } catch (error) {
    throw new UsageError(describeParseError(error), { cause: error });
  }
}

function describeParseError(error: unknown): string {
  const message = describeError(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `Unknown flag ${unknown[1]}`;
  const positional = /Unexpected argument '([^']+)'/.exec(message);
  if (positional) {
    return `Unexpected argument '${positional[1]}': every value goes in a flag`;
  }
  const missing = /Option '(--[^ ]+)[^']*' argument (missing|is ambiguous)/.exec(message);
  if (missing) return `Flag ${missing[1]} needs a value`;
  return message;
}

/** A program role: what `--help` prints and which flags it takes. */
export interface Command<F extends FlagSpecs> {
  /** How the role is invoked, such as `server --task=1 [flags]`. */
  usage: string;
  /** A few sentences on what the role does. */
  summary: string;
  /** The flags. `--help` and `--version` are added. */
  flags: F;
  /** Complete example command lines. */
  examples: string[];
  /** How to pick this role among the program's roles, shown last in `--help`. */
  roles?: string;
  /** The name `--version` prints; the first word of `usage` by default. */
  program?: string;
}

/** What a command line asked for. */
export type Parsed<F extends FlagSpecs> =
  | { kind: "help" }
  | { kind: "version" }
  | { kind: "run"; flags: FlagValues<F> };

/**
 * Reads a command line: `--help`, `--version`, or typed flags to run with.
 *
 * @example
 * ```ts
 * import { flag, parseCommand } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const command = {
 *   usage: "demo [flags]",
 *   summary: "A demo.",
 *   flags: { port: flag.port({ description: "Port", required: true }) },
 *   examples: ["demo --port=4000"],
 * };
 * assert.deepEqual(parseCommand(command, ["--port=4000"]), { kind: "run", flags: { port: 4000 } });
 * assert.deepEqual(parseCommand(command, ["--help"]), { kind: "help" });
 * assert.throws(() => parseCommand(command, []), {
 *   message: "Missing required flag --port (example: demo --port=4000)",
 * });
 * ```
 */
export function parseCommand<F extends FlagSpecs>(
  command: Command<F>,
  args: readonly string[],
): Parsed<F> {
  const raw = readArgs(command.flags, args);
  if (raw.help === true) return { kind: "help" };
  if (raw.version === true) return { kind: "version" };
  return { kind: "run", flags: parseFlags(command.flags, args, command.examples[0]) };
}

/**
 * Renders `--help`: usage, summary, every flag with its default, the
 * examples, and how to pick among the program's roles, aligned in columns.
 *
 * @example
 * ```ts
 * import { flag, formatHelp } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const help = formatHelp({
 *   usage: "demo [flags]",
 *   summary: "A demo.",
 *   flags: { port: flag.port({ description: "Port", default: 4000 }) },
 *   examples: ["demo --port=4000"],
 * });
 * assert.match(help, /--port=PORT\s+Port \(default: 4000\)/);
 * assert.match(help, /--help\s+Show this help and exit/);
 * assert.match(help, /--version\s+Show the version and exit/);
 * ```
 */
export function formatHelp<F extends FlagSpecs>(command: Command<F>): string {
  const rows: [string, string][] = Object.entries(command.flags).map(([name, spec]) => {
    const left = spec.type === "string" ? `--${name}=${spec.value}` : `--${name}`;
    let right = spec.description;
    if (spec.required) right += " (required)";
    else if (spec.shownDefault !== undefined) right += ` (default: ${spec.shownDefault})`;
    return [left, right];
  });
  rows.push(["--help", "Show this help and exit"], ["--version", "Show the version and exit"]);
  const width = Math.max(...rows.map(([left]) => left.length));
  const lines = [
    `Usage: ${command.usage}`,
    "",
    command.summary,
    "",
    "Flags:",
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    "",
    command.examples.length === 1 ? "Example:" : "Examples:",
    ...command.examples.map((example) => `  ${example}`),
    "",
  ];
  if (command.roles !== undefined) lines.push(command.roles, "");
  return lines.join("\n");
}
