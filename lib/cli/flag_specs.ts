/**
 * Flag declarations: {@linkcode flag} makes one typed flag per kind of value
 * (port, whole number or a list of them, text, student id, course boolean,
 * switch, choice),
 * each with its own parse rule and `--help` text. `flags.ts` reads command
 * lines against them.
 *
 * @module
 */

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

/** Options of a flag of whole numbers separated by commas. */
export interface IntegerListOptions extends FlagOptions<number[]> {
  /** Smallest value accepted. */
  min: number;
  /** Largest value accepted. */
  max: number;
}

/** The flag constructors of {@linkcode flag}, one per kind of value. */
export interface FlagMakers {
  /** Any non-empty text. */
  string<O extends FlagOptions<string>>(options: O): Flag<FlagValue<string, O>>;
  /** A whole number from `min` to `max`. */
  integer<O extends IntegerOptions>(options: O): Flag<FlagValue<number, O>>;
  /** Whole numbers from `min` to `max` separated by commas, such as `16,256`. */
  integers<O extends IntegerListOptions>(options: O): Flag<FlagValue<number[], O>>;
  /** A TCP port, 1 to 65535; `allowZero` adds 0, "any free port". */
  port<O extends FlagOptions<number> & { allowZero?: boolean }>(
    options: O,
  ): Flag<FlagValue<number, O>>;
  /** An 8-digit student id, such as `20200000`. */
  studentId<O extends FlagOptions<number>>(options: O): Flag<FlagValue<number, O>>;
  /** A boolean word in the course's style: `True`/`False` in any case, also `1`/`0` and `yes`/`no`. */
  bool<O extends FlagOptions<boolean>>(options: O): Flag<FlagValue<boolean, O>>;
  /** A switch: present is true, absent false. */
  switch(options: Omit<FlagOptions<boolean>, "default" | "required">): Flag<boolean>;
  /** One of a fixed list of words. */
  choice<const C extends string, O extends FlagOptions<NoInfer<C>>>(
    choices: readonly C[],
    options: O,
  ): Flag<FlagValue<C, O>>;
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
 *   counts: flag.integers({ description: "Clients", min: 1, max: 999, default: [16, 256] }),
 *   host: flag.string({ description: "Address", defaultText: "all interfaces" }),
 *   once: flag.switch({ description: "Stop after one batch" }),
 * };
 * const parsed = parseFlags(flags, ["--port", "4000", "--once", "--counts=1,2"]);
 * assert.deepEqual(parsed, { port: 4000, size: 10, counts: [1, 2], host: undefined, once: true });
 * ```
 */
export const flag: FlagMakers = {
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
  /** Whole numbers from `min` to `max` separated by commas, such as `16,256`. */
  integers<O extends IntegerListOptions>(options: O): Flag<FlagValue<number[], O>> {
    const { min, max } = options;
    return make("string", "N,N", options, (text, name) => {
      return text.split(",").map((part) => wholeNumber(part, name, min, max));
    });
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
