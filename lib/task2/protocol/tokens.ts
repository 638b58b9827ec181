/**
 * The vocabulary of Task 2 framing: the request keywords, what may end a
 * name or a number ({@linkcode FRAMINGS}), and the reader's timing.
 *
 * @module
 */

/**
 * The request keywords, as the server names them.
 *
 * @example
 * ```ts
 * import { KEYWORDS } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.ok(KEYWORDS.includes("WORD_COUNT"));
 * // No keyword is a prefix of another, so each ends on its last letter.
 * assert.ok(KEYWORDS.every((a) => KEYWORDS.every((b) => a === b || !b.startsWith(a))));
 * ```
 */
export const KEYWORDS = ["FIBONACCI", "FACTORIAL", "FILE", "WORD_COUNT", "COMPLETE"] as const;

/**
 * One of {@linkcode KEYWORDS}.
 */
export type Keyword = typeof KEYWORDS[number];

/**
 * How long the reader waits.
 *
 * @example
 * ```ts no-assert
 * import { type ReaderTiming } from "@cs341/practice2/task2";
 *
 * // A write ends after 50 ms without bytes; a client quiet for 30 s is dropped.
 * const timing: ReaderTiming = { gapMs: 50, idleMs: 30_000 };
 * console.log(timing);
 * ```
 */
export interface ReaderTiming {
  /** No byte for this long ends a name or a number, in milliseconds. */
  gapMs: number;
  /** No byte for this long, when one is needed, is a timeout. */
  idleMs: number;
  /**
   * What ends a name or a number besides its content: `"writes"` (the
   * default) the end of the client's write, `"pauses"` a quiet gap only.
   */
  framing?: Framing | undefined;
  /**
   * A time on the package clock (`now()`, i.e. `performance.now()`) past which every wait fails
   * with a {@linkcode TimeoutError}: the session's total time limit.
   */
  deadline?: number | undefined;
  /** Longest stretch (ms) a body is read without yielding to other work; default 4. */
  sliceMs?: number | undefined;
}

/**
 * What ends a name or a number besides its content.
 *
 * @example
 * ```ts
 * import { computeSessionSettings, FRAMINGS } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * for (const framing of FRAMINGS) {
 *   assert.equal(computeSessionSettings({ framing }).framing, framing);
 * }
 * ```
 */
export const FRAMINGS = ["writes", "pauses"] as const;

/** One of {@linkcode FRAMINGS}. */
export type Framing = typeof FRAMINGS[number];

/** The byte that ends a name. */
export const LINE_FEED = 0x0a;

/** ASCII `0`. */
export const DIGIT_0 = 0x30;

/** Most digits of a number (n or a FILE length). */
export const MAX_DIGITS = 15;

/** Whether `byte` is an ASCII digit. */
export function isDigit(byte: number): boolean {
  return byte >= DIGIT_0 && byte <= DIGIT_0 + 9;
}

/** `byte` as an upper-case ASCII letter, if it is a lower-case one. */
export function upper(byte: number): number {
  return byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte;
}
