/**
 * The roster: which student ids may register a score.
 *
 * @module
 */

import { isStudentId } from "./student_id.ts";
import { describeError } from "../net/errors.ts";

/**
 * Parses a roster: one 8-digit student id per line; blank lines and text
 * after `#` are ignored. Anything else is an error naming the line.
 *
 * @example
 * ```ts
 * import { parseRoster } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * const roster = parseRoster("# CS341 fall 2020\n20200000\n20201234  # late\n\n");
 * assert.deepEqual([...roster], [20200000, 20201234]);
 * assert.throws(() => parseRoster("2020\n"), {
 *   message: "Roster line 1: '2020' is not an 8-digit student id",
 * });
 * ```
 */
export function parseRoster(text: string): Set<number> {
  const ids = new Set<number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*/, "").trim();
    if (line === "") return;
    if (!isStudentId(line)) {
      throw new Error(`Roster line ${index + 1}: '${line}' is not an 8-digit student id`);
    }
    ids.add(Number(line));
  });
  return ids;
}

/**
 * Reads and parses the roster file at `path` (see {@linkcode parseRoster}).
 *
 * @example
 * ```ts
 * import { loadRoster } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "20200000\n20201234\n");
 * assert.deepEqual([...await loadRoster(path)], [20200000, 20201234]);
 * await Deno.remove(path);
 * await assert.rejects(loadRoster(path), { message: /^Cannot read roster/ });
 * ```
 */
export async function loadRoster(path: string): Promise<Set<number>> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    const reason = describeError(error);
    throw new Error(`Cannot read roster '${path}': ${reason}`, { cause: error });
  }
  return parseRoster(text);
}
