/**
 * The student id rule: exactly 8 digits, no leading zero (10000000 to
 * 99999999), so it fits the header's unsigned 32-bit sid field.
 *
 * @module
 */

/**
 * True when `id` (a number, or its decimal text) is an 8-digit student id.
 *
 * @example
 * ```ts
 * import { isStudentId } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isStudentId(20200000), true);
 * assert.equal(isStudentId("20200000"), true);
 * assert.equal(isStudentId("02020000"), false);
 * assert.equal(isStudentId(1234), false);
 * ```
 */
export function isStudentId(id: number | string): boolean {
  return /^[1-9]\d{7}$/.test(String(id));
}
