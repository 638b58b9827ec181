/**
 * Time limits for socket operations.
 *
 * @module
 */

import { TimeoutError } from "./errors.ts";

/**
 * Settles like `promise`, or rejects with a {@linkcode TimeoutError} saying
 * `what` timed out once `ms` milliseconds pass first. `onTimeout` runs just
 * before the rejection: use it to close the socket so the abandoned operation
 * settles too. The timer is always cleared, so nothing leaks.
 *
 * @example
 * ```ts
 * import { withTimeout } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await withTimeout(Promise.resolve(7), 100, "a number"), 7);
 * await assert.rejects(
 *   withTimeout(new Promise(() => {}), 10, "a packet"),
 *   { name: "TimeoutError", message: "Timed out after 10 ms waiting for a packet" },
 * );
 * ```
 */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
  onTimeout?: () => void,
): Promise<T> {
  if (!Number.isFinite(ms)) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new TimeoutError(`Timed out after ${ms} ms waiting for ${what}`));
    }, ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

/**
 * Closes a connection, a listener or anything else closable, ignoring the
 * error for one that is already closed. Deno closes a connection by itself
 * once its readable side reaches end of stream.
 *
 * @example
 * ```ts
 * import { closeQuietly } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * let closed = 0;
 * const resource = { close() { if (closed++) throw new Error("BadResource"); } };
 * closeQuietly(resource);
 * closeQuietly(resource);
 * assert.equal(closed, 2);
 * ```
 */
export function closeQuietly(resource: { close(): void }): void {
  try {
    resource.close();
  } catch {
    // Already closed: nothing to do.
  }
}
