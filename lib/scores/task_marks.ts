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
 * ```ts no-assert
 * import { OUT_OF } from "@cs341/practice2/scores";
 *
 * console.log(`Task 1 is out of ${OUT_OF[1]}, Task 2 out of ${OUT_OF[2]}`);
 * ```
 */
export const OUT_OF = { 1: 50, 2: 40 } as const;
