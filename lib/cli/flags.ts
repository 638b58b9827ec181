/**
 * Typed command-line flags. Each program declares its flags once, with
 * {@linkcode flag}; {@linkcode parseFlags} turns a command line into a typed
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
import { isStudentId } from "../scores/student_id.ts";
import { UsageError } from "./usage_error.ts";

/** One declared flag, parsing to `T`. */
export interface Flag<T> {
  /** `string` flags take a value; `boolean` flags are switches. */
  readonly type: "string" | "boolean";
  /** One line for `--help`. */
  readonly description: string;
  /** Value placeholder in `--help`, such as `PORT`. */
  readonly value: string;
  /** Absent required flags are a usage error. */
  readonly required: boolean;
  /** The value when the flag is absent. */
  readonly fallback: T | undefined;
  /** What `--help` says about the default, if anything. */
  readonly shownDefault: string | undefined;
  /** Turns the flag's text (`""` for a switch) into its value, or throws {@linkcode UsageError}. */
  parse(text: string, name: string): T;
}

/** What every flag declaration may say. */
export interface FlagOptions<T> {
  /** One line for `--help`. */
  description: string;
  /** Value placeholder in `--help`. */
  value?: string;
  /** Makes the flag required. */
  required?: true;
  /** The value when the flag is absent. */
  default?: T;
  /** What `--help` shows as the default when it is not simply `default`. */
  defaultText?: string;
}

/** The parsed type of a flag declared with options `O`: absent is `undefined` unless it has a default or is required. */
export type FlagValue<T, O> = O extends { default: unknown } | { required: true } ? T
  : T | undefined;

function make<T, O extends FlagOptions<T>>(
  type: "string" | "boolean",
  placeholder: string,
  options: O,
  parse: (text: string, name: string) => T,
): Flag<FlagValue<T, O>> {
  const fallback = options.default;
  return {
    type,
    description: options.description,
    value: options.value ?? placeholder,
    required: options.required === true,
    fallback,
    shownDefault: options.defaultText ?? (fallback === undefined ? undefined : String(fallback)),
    parse: parse as (text: string, name: string) => FlagValue<T, O>,
  };
}

function wholeNumber(text: string, name: string, min: number, max: number): number {
  const number = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got '${text}'`);
  }
  return number;
}

/** Options of a whole-number flag. */
export interface IntegerOptions extends FlagOptions<number> {
  /** Smallest value accepted. */
  min: number;
  /** Largest value accepted. */
  max: number;
}

/**
 * Flag declarations, one function per kind of value.
 *
 * @example
 * ```ts
 * import { flag, parseFlags } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const flags = {
 *   port: flag.port({ description: "Port", required: true }),
 *   size: flag.integer({ description: "Bytes", min: 0, max: 100, default: 10 }),
 *   host: flag.string({ description: "Address", defaultText: "all interfaces" }),
 *   once: flag.switch({ description: "Stop after one batch" }),
 * };
 * const parsed = parseFlags(flags, ["--port", "4000", "--once"]);
 * assert.deepEqual(parsed, { port: 4000, size: 10, host: undefined, once: true });
 * ```
 */
export const flag = {
  /** Any non-empty text. */
  string<O extends FlagOptions<string>>(options: O): Flag<FlagValue<string, O>> {
    return make("string", "VALUE", options, (text, name) => {
      if (text === "") throw new UsageError(`--${name} must not be empty`);
      return text;
    });
  },
  /** A whole number from `min` to `max`. */
  integer<O extends IntegerOptions>(options: O): Flag<FlagValue<number, O>> {
    return make(
      "string",
      "N",
      options,
      (text, name) => wholeNumber(text, name, options.min, options.max),
    );
  },
  /** A TCP port, 1 to 65535; `allowZero` adds 0, "any free port". */
  port<O extends FlagOptions<number> & { allowZero?: boolean }>(
    options: O,
  ): Flag<FlagValue<number, O>> {
    const min = options.allowZero ? 0 : 1;
    return make("string", "PORT", options, (text, name) => wholeNumber(text, name, min, 65535));
  },
  /** An 8-digit student id, such as `20200000`. */
  studentId<O extends FlagOptions<number>>(options: O): Flag<FlagValue<number, O>> {
    return make("string", "ID", options, (text, name) => {
      if (!isStudentId(text)) throw new UsageError(`--${name} must be 8 digits, got '${text}'`);
      return Number(text);
    });
  },
  /**
   * A boolean word in the course's style: `True`/`False` in any case, also
   * `1`/`0` and `yes`/`no`; the slides' typo `--submit==True` too.
   */
  bool<O extends FlagOptions<boolean>>(options: O): Flag<FlagValue<boolean, O>> {
    return make("string", "BOOL", options, (text, name) => {
      const word = text.replace(/^=/, "").toLowerCase();
      if (["true", "1", "yes"].includes(word)) return true;
      if (["false", "0", "no"].includes(word)) return false;
      throw new UsageError(`--${name} must be True or False, got '${text}'`);
    });
  },
  /** A switch: present is true, absent false. */
  switch(options: Omit<FlagOptions<boolean>, "default" | "required">): Flag<boolean> {
    return make("boolean", "", { ...options, default: false, defaultText: "off" }, () => true);
  },
  /** One of a fixed list of words. */
  choice<const C extends string, O extends FlagOptions<NoInfer<C>>>(
    choices: readonly C[],
    options: O,
  ): Flag<FlagValue<C, O>> {
    return make("string", "WORD", options, (text, name) => {
      if ((choices as readonly string[]).includes(text)) return text as C;
      throw new UsageError(`--${name} must be ${choices.join(" or ")}, got '${text}'`);
    });
  },
};

/** Declared flags, by name as typed after `--`. */
// deno-lint-ignore no-explicit-any
export type FlagSpecs = Record<string, Flag<any>>;

/** The typed values of `F`. */
export type FlagValues<F extends FlagSpecs> = {
  [K in keyof F]: F[K] extends Flag<infer T> ? T : never;
};

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
