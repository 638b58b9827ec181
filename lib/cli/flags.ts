/**
 * Command-line plumbing shared by every program: strict flag parsing,
 * generated `--help`, flag value checks, and the exit-code convention
 * (0 success, 1 failure, 2 usage error).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { UsageError } from "../net/errors.ts";
import { isStudentId } from "../scores/student_id.ts";

/** One flag of a command. */
export interface FlagSpec {
  /** `string` flags take a value (`--port=4000` or `--port 4000`). */
  type: "string" | "boolean";
  /** One line for `--help`. */
  description: string;
  /** The default, as shown in `--help`; also returned when the flag is absent. */
  default?: string;
  /** Absent required flags are a usage error. */
  required?: boolean;
  /** Value placeholder in `--help`, such as `PORT`. */
  value?: string;
}

/** A command: what `--help` prints and which flags parsing accepts. */
export interface CommandSpec {
  /** How the program is invoked, such as `deno task client`. */
  usage: string;
  /** One or two sentences on what the program does. */
  summary: string;
  /** The flags, by name as typed after `--`. `--help` is added. */
  flags: Record<string, FlagSpec>;
  /** Complete example command lines. */
  examples: string[];
}

/** Parsed flags: strings for string flags, booleans for boolean flags. */
export type FlagValues = Record<string, string | boolean | undefined>;

/**
 * Parses `args` against `spec`. Unknown flags, positional arguments and
 * missing required flags throw {@linkcode UsageError}. Returns `undefined`
 * when `--help` was asked for.
 *
 * @example
 * ```ts
 * import { parseCommandLine } from "./flags.ts";
 * import assert from "node:assert/strict";
 *
 * const spec = {
 *   usage: "demo",
 *   summary: "A demo.",
 *   flags: { port: { type: "string" as const, description: "Port", required: true } },
 *   examples: ["demo --port=4000"],
 * };
 * assert.deepEqual(parseCommandLine(spec, ["--port=4000"]), { port: "4000" });
 * assert.equal(parseCommandLine(spec, ["--help"]), undefined);
 * assert.throws(() => parseCommandLine(spec, ["--prot=1"]), { name: "UsageError" });
 * ```
 */
export function parseCommandLine(
  spec: CommandSpec,
  args: readonly string[],
): FlagValues | undefined {
  const options: Record<string, { type: "string" | "boolean" }> = {
    help: { type: "boolean" },
  };
  for (const [name, flag] of Object.entries(spec.flags)) {
    options[name] = { type: flag.type };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error), { cause: error });
  }
  const values = parsed.values as FlagValues;
  if (values.help === true) return undefined;
  const result: FlagValues = {};
  for (const [name, flag] of Object.entries(spec.flags)) {
    const value = values[name] ?? flag.default;
    if (value === undefined && flag.required) {
      const example = spec.examples[0] ?? spec.usage;
      throw new UsageError(
        `Missing required flag --${name} (example: ${example})`,
      );
    }
    result[name] = value;
  }
  return result;
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
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

/**
 * Renders `--help`: usage, summary, every flag with its default, and the
 * examples, aligned in columns.
 *
 * @example
 * ```ts
 * import { formatHelp } from "./flags.ts";
 * import assert from "node:assert/strict";
 *
 * const help = formatHelp({
 *   usage: "demo [flags]",
 *   summary: "A demo.",
 *   flags: { port: { type: "string", value: "PORT", description: "Port", default: "4000" } },
 *   examples: ["demo --port=4000"],
 * });
 * assert.match(help, /--port=PORT\s+Port \(default: 4000\)/);
 * assert.match(help, /--help\s+Show this help/);
 * ```
 */
export function formatHelp(spec: CommandSpec): string {
  const rows: [string, string][] = Object.entries(spec.flags).map(
    ([name, flag]) => {
      const left = flag.type === "string" ? `--${name}=${flag.value ?? "VALUE"}` : `--${name}`;
      let right = flag.description;
      if (flag.required) right += " (required)";
      else if (flag.default !== undefined) {
        right += ` (default: ${flag.default})`;
      }
      return [left, right];
    },
  );
  rows.push(["--help", "Show this help and exit"]);
  const width = Math.max(...rows.map(([left]) => left.length));
  return [
    `Usage: ${spec.usage}`,
    "",
    spec.summary,
    "",
    "Flags:",
    ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`),
    "",
    spec.examples.length === 1 ? "Example:" : "Examples:",
    ...spec.examples.map((example) => `  ${example}`),
    "",
  ].join("\n");
}

/**
 * Reads a whole number from a flag value, within `[min, max]`.
 *
 * @example
 * ```ts
 * import { parseIntegerFlag } from "./flags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseIntegerFlag("port", "4000", 1, 65535), 4000);
 * assert.throws(() => parseIntegerFlag("port", "0", 1, 65535), {
 *   message: "--port must be a whole number from 1 to 65535, got '0'",
 * });
 * ```
 */
export function parseIntegerFlag(
  name: string,
  value: string,
  min: number,
  max: number,
): number {
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError(
      `--${name} must be a whole number from ${min} to ${max}, got '${value}'`,
    );
  }
  return number;
}

/**
 * Reads a TCP port (1-65535) from a flag value.
 *
 * @example
 * ```ts
 * import { parsePortFlag } from "./flags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parsePortFlag("4000"), 4000);
 * assert.throws(() => parsePortFlag("70000"), { name: "UsageError" });
 * ```
 */
export function parsePortFlag(value: string, name = "port"): number {
  return parseIntegerFlag(name, value, 1, 65535);
}

/**
 * Reads an 8-digit student id, such as `20200000`.
 *
 * @example
 * ```ts
 * import { parseStudentIdFlag } from "./flags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseStudentIdFlag("20200000"), 20200000);
 * assert.throws(() => parseStudentIdFlag("2020"), {
 *   message: "--studentID must be 8 digits, got '2020'",
 * });
 * ```
 */
export function parseStudentIdFlag(value: string): number {
  if (!isStudentId(value)) {
    throw new UsageError(`--studentID must be 8 digits, got '${value}'`);
  }
  return Number(value);
}

/**
 * Reads a boolean in the course's style: `True`/`False` in any case, also
 * `1`/`0` and `yes`/`no`. The slides' typo `--submit==True` is accepted too.
 *
 * @example
 * ```ts
 * import { parseBooleanFlag } from "./flags.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(parseBooleanFlag("submit", "True"), true);
 * assert.equal(parseBooleanFlag("submit", "=False"), false);
 * assert.throws(() => parseBooleanFlag("submit", "maybe"), { name: "UsageError" });
 * ```
 */
export function parseBooleanFlag(name: string, value: string): boolean {
  const word = value.replace(/^=/, "").toLowerCase();
  if (["true", "1", "yes"].includes(word)) return true;
  if (["false", "0", "no"].includes(word)) return false;
  throw new UsageError(`--${name} must be True or False, got '${value}'`);
}

/**
 * Runs a program's `main` and exits with its code. A {@linkcode UsageError}
 * prints `error: ...` and a pointer to `--help`, exit code 2; any other error
 * prints `error: ...`, exit code 1. Messages carry their own reasons.
 */
export async function runMain(main: () => Promise<number>): Promise<never> {
  let code: number;
  try {
    code = await main();
  } catch (error) {
    code = reportError(error);
  }
  Deno.exit(code);
}

function reportError(error: unknown): number {
  if (error instanceof UsageError) {
    console.error(
      `error: ${error.message}\nRun with --help to see every flag.`,
    );
    return 2;
  }
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}
