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

import type { FlagSpecs, FlagValues } from "./flag_specs.ts";
import { UnknownFlagError, UsageError } from "./usage_error.ts";

export {
  type Flag,
  flag,
  type FlagMakers,
  type FlagOptions,
  type FlagSpecs,
  type FlagValue,
  type FlagValues,
  type IntegerListOptions,
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
 * assert.throws(() => parseFlags(flags, ["--prot=1"]), {
 *   message: "Unknown flag --prot (did you mean --port?)",
 * });
 * ```
 */
export function parseFlags<F extends FlagSpecs>(
  flags: F,
  args: readonly string[],
  example?: string,
): FlagValues<F> {
  const values = readArgs(flags, args);
  const result: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [name, spec] of Object.entries(flags)) {
    const text = values[name];
    if (text === undefined || text === false) {
      if (spec.required) missing.push(`--${name}`);
      result[name] = spec.fallback;
    }
  }
  if (missing.length > 0) {
    const hint = example === undefined ? "" : ` (example: ${example})`;
    const noun = missing.length === 1 ? "flag" : "flags";
    throw new UsageError(`Missing required ${noun} ${missing.join(", ")}${hint}`);
  }
  for (const [name, spec] of Object.entries(flags)) {
    const text = values[name];
    if (text !== undefined && text !== false) {
      result[name] = spec.parse(text === true ? "" : text, name);
    }
  }
  return result as FlagValues<F>;
}

type RawValues = Record<string, string | boolean | undefined>;

/**
 * Reads `--name=value`, `--name value` and `--switch` against the flags'
 * types, strictly: the first unknown flag, value where none fits, missing
 * value or positional argument is a {@linkcode UsageError}. (It was
 * `node:util`'s `parseArgs`, with the same rules; written here so that a
 * program does not load Deno's Node layer, some 5 MiB of memory at rest.)
 */
function readArgs(flags: FlagSpecs, args: readonly string[]): RawValues {
  const types = new Map<string, "string" | "boolean">([["help", "boolean"], [
    "version",
    "boolean",
  ]]);
  for (const [name, spec] of Object.entries(flags)) types.set(name, spec.type);
  const values: RawValues = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      const next = args[i + 1];
      if (next === undefined) break;
      throw new UsageError(`Unexpected argument '${next}': every value goes in a flag`);
    }
    if (!arg.startsWith("-") || arg === "-") {
      throw new UsageError(`Unexpected argument '${arg}': every value goes in a flag`);
    }
    const equals = arg.indexOf("=");
    const given = equals === -1 ? arg : arg.slice(0, equals);
    const name = given.startsWith("--") ? given.slice(2) : undefined;
    const type = name === undefined ? undefined : types.get(name);
    if (name === undefined || type === undefined) {
      const near = nearestFlag(given, [...types.keys()]);
      const hint = near === undefined ? "" : ` (did you mean --${near}?)`;
      throw new UnknownFlagError(`Unknown flag ${given}${hint}`, given);
    }
    if (type === "boolean") {
      if (equals !== -1) throw new UsageError(`Option '${given}' does not take an argument`);
      values[name] = true;
    } else if (equals !== -1) {
      values[name] = arg.slice(equals + 1);
    } else {
      const next = args[i + 1];
      if (next === undefined || next.startsWith("-")) {
        throw new UsageError(`Flag ${given} needs a value`);
      }
      values[name] = next;
      i++;
    }
  }
  return values;
}

/** Folds case, dashes and underscores away so `--student-id` meets `--studentID`. */
function foldFlag(name: string): string {
  return (name.replace(/^-+/, "").split("=")[0] ?? "").toLowerCase().replace(/[-_]/g, "");
}

/**
 * The known flag nearest to `given`: equal after folding case, dashes and
 * underscores, or within a small edit distance (1 for short names, 2 for
 * names of 6 letters or more). `undefined` when nothing is near.
 */
function nearestFlag(given: string, known: readonly string[]): string | undefined {
  const folded = foldFlag(given);
  const limit = folded.length >= 6 ? 2 : 1;
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(folded, foldFlag(name));
    if (distance <= limit && (best === undefined || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  // Optimal string alignment: insertions, deletions, substitutions and swaps of neighbours.
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const up = previous[j] ?? 0, left = row[j - 1] ?? 0, diagonal = previous[j - 1] ?? 0;
      row[j] = Math.min(up + 1, left + 1, diagonal + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        row[j] = Math.min(row[j] ?? 0, (before[j - 2] ?? 0) + 1);
      }
    }
    before = previous;
    previous = row;
  }
  return previous[b.length] ?? 0;
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
    // A no-break space keeps "(default: X)" whole on one line when the text wraps.
    if (spec.required) right += " (required)";
    else if (spec.shownDefault !== undefined) {
      right += ` ${`(default: ${spec.shownDefault})`.replaceAll(" ", "\u00a0")}`;
    }
    return [left, right];
  });
  rows.push(["--help", "Show this help and exit"], ["--version", "Show the version and exit"]);
  const width = Math.max(...rows.map(([left]) => left.length));
  const lines = [
    `Usage: ${command.usage}`,
    "",
    ...wrapText(command.summary, HELP_WIDTH),
    "",
    "Flags:",
    ...rows.flatMap(([left, right]) =>
      wrapText(right, HELP_WIDTH - width - 4).map((line, i) =>
        `  ${(i === 0 ? left : "").padEnd(width)}  ${line.replaceAll("\u00a0", " ")}`.trimEnd()
      )
    ),
    "",
    command.examples.length === 1 ? "Example:" : "Examples:",
    ...command.examples.flatMap((example) =>
      wrapText(example, HELP_WIDTH - 4).map((line, i) => `${i === 0 ? "  " : "    "}${line}`)
    ),
    "",
  ];
  if (command.roles !== undefined) lines.push(...wrapText(command.roles, HELP_WIDTH), "");
  return lines.join("\n");
}

/** The column `--help` text is wrapped at. */
export const HELP_WIDTH = 100;

/**
 * Wraps `text` at word boundaries into lines of at most `width` characters
 * (a single word longer than `width` stays whole). Line breaks already in
 * `text` are kept, and a wrapped line keeps its line's leading indent.
 *
 * @example
 * ```ts
 * import { wrapText } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(wrapText("one two three", 7), ["one two", "three"]);
 * assert.deepEqual(wrapText("a\n  b c", 4), ["a", "  b", "  c"]);
 * ```
 */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const indent = /^ */.exec(line)?.[0] ?? "";
    const words = line.slice(indent.length).split(/ +/).filter((word) => word !== "");
    if (words.length === 0) {
      out.push("");
      continue;
    }
    let current = indent + words[0];
    for (const word of words.slice(1)) {
      if (current.length + 1 + word.length > width) {
        out.push(current);
        current = indent + word;
      } else {
        current += ` ${word}`;
      }
    }
    out.push(current);
  }
  return out;
}
