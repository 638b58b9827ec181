/**
 * The rule for the lone header packet a Task 1 client opens with: flag 1, no
 * data, a client keyword (4 lowercase letters) and an 8-digit student id.
 *
 * @module
 */

import { isStudentId } from "../../scores/student_id.ts";
import { HeaderError } from "../protocol/errors.ts";
import { isClientKeyword } from "../protocol/keyword.ts";

/**
 * Throws {@linkcode HeaderError} saying what is wrong with a client's first
 * packet, already decoded, or returns when it is a valid opening header.
 *
 * @example
 * ```ts
 * import { checkFirstHeader } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const header = { flag: 1, keyword: "sbmt", sid: 20200000, data: new Uint8Array() };
 * checkFirstHeader(header);
 * assert.throws(() => checkFirstHeader({ ...header, keyword: "SBMT" }), {
 *   name: "HeaderError",
 *   message: "Invalid header: keyword 'SBMT' must be 4 lowercase letters",
 * });
 * ```
 */
export function checkFirstHeader(
  packet: { flag: number; keyword: string; sid: number; data: Uint8Array },
): void {
  if (packet.flag !== 1) {
    throw new HeaderError(
      `Invalid header: flag ${packet.flag}, expected 1 on the lone header packet`,
    );
  }
  if (packet.data.length !== 0) {
    throw new HeaderError(
      `Invalid header: length ${16 + packet.data.length}, expected 16 (a header with no data)`,
    );
  }
  if (!isClientKeyword(packet.keyword)) {
    throw new HeaderError(
      `Invalid header: keyword '${packet.keyword}' must be 4 lowercase letters`,
    );
  }
  if (!isStudentId(packet.sid)) {
    throw new HeaderError(`Invalid header: sid ${packet.sid} is not an 8-digit student id`);
  }
}
