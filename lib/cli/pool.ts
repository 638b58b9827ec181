/**
 * A bounded pool of concurrent jobs.
 *
 * @module
 */

/**
 * Runs `task(i)` for i = 0..count-1 with at most `concurrency` at a time,
 * in index order, and resolves the results in order. When a task rejects,
 * the others still run; the first rejection is thrown after all have settled.
 *
 * @example
 * ```ts
 * import { runPool } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * let running = 0;
 * let most = 0;
 * const squares = await runPool(10, 3, async (i) => {
 *   most = Math.max(most, ++running);
 *   await Promise.resolve();
 *   running--;
 *   return i * i;
 * });
 * assert.deepEqual(squares, [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
 * assert.equal(most, 3);
 * ```
 */
export async function runPool<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      try {
        results[index] = await task(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), count) }, worker));
  if (failure) throw failure.error;
  return results;
}
