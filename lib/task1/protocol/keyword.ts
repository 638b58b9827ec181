/**
 * The Task 1 keyword rules, in one place. The header's keyword field is 4
 * bytes:
 *
 * - on the wire, any 4 ASCII letters (the server's result packets say `GOOD`
 *   or `FAIL`);
 * - from a client, and as the server's key, 4 lowercase letters; `sbmt`
 *   asks for the score to be stored, any other word is a test run.
 *
 * @module
 */

/**
 * The keyword that asks the grading server to store the score.
 *
 * @example
 * ```ts
 * import { isClientKeyword, SUBMIT_KEYWORD } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isClientKeyword(SUBMIT_KEYWORD));
 * ```
 */
export const SUBMIT_KEYWORD = "sbmt";

/** The keyword of a result packet: `GOOD` at full marks, `FAIL` otherwise. */
export type ResultKeyword = "GOOD" | "FAIL";

/**
 * True when `byte` is an ASCII letter, either case.
 *
 * @example
 * ```ts
 * import { isAsciiLetter } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isAsciiLetter(0x61) && isAsciiLetter(0x5a));
 * assert.ok(!isAsciiLetter(0x31));
 * ```
 */
export function isAsciiLetter(byte: number): boolean {
  return (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}

/**
 * Returns why `keyword` cannot stand in a header (it is not 4 ASCII
 * letters), or `undefined` when it can.
 *
 * @example
 * ```ts
 * import { keywordProblem } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * assert.equal(keywordProblem("sbmt"), undefined);
 * assert.equal(keywordProblem("GOOD"), undefined);
 * assert.equal(keywordProblem("sb1t"), "keyword 'sb1t' is not 4 ASCII letters");
 * ```
 */
export function keywordProblem(keyword: string): string | undefined {
  if (keyword.length === 4 && [...keyword].every((c) => isAsciiLetter(c.charCodeAt(0)))) {
    return undefined;
  }
  return `keyword '${keyword}' is not 4 ASCII letters`;
}

/**
 * True when a client may send `keyword` in its header, and a server may use
 * it as a key: 4 lowercase ASCII letters.
 *
 * @example
 * ```ts
 * import { isClientKeyword } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isClientKeyword("sbmt") && isClientKeyword("test"));
 * assert.ok(!isClientKeyword("Sbmt") && !isClientKeyword("sbm"));
 * ```
 */
export function isClientKeyword(keyword: string): boolean {
  return /^[a-z]{4}$/.test(keyword);
}

/**
 * True when `keyword` marks a result packet: 4 uppercase letters (the
 * course's server sends `GOOD` or `FAIL`), never a key, which is lowercase.
 * A decryption client reads that packet as the end of the exchange.
 *
 * @example
 * ```ts
 * import { isResultKeyword } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isResultKeyword("GOOD") && isResultKeyword("FAIL"));
 * assert.ok(!isResultKeyword("tree") && !isResultKeyword("Good"));
 * ```
 */
export function isResultKeyword(keyword: string): boolean {
  return /^[A-Z]{4}$/.test(keyword);
}
