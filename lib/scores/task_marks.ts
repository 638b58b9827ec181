/**
 * The full marks of each Practice #2 task, shared by the exports, the
 * attempt history and the staff page.
 *
 * @module
 */

/**
 * The full marks of each task.
 *
 * @example
 * ```ts
 * import { OUT_OF } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * assert.equal(OUT_OF[1] + OUT_OF[2], 90);
 * ```
 */
export const OUT_OF = { 1: 50, 2: 40 } as const;
