/**
 * The command-line error.
 *
 * @module
 */

/**
 * A command line is wrong: a missing, unknown or malformed flag.
 * CLIs print its message with a pointer to `--help` and exit with code 2.
 *
 * @example
 * ```ts
 * import { UsageError } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const error = new UsageError("--port must be 1-65535, got 0");
 * assert.equal(error.name, "UsageError");
 * ```
 */
export class UsageError extends Error {
  /** Builds the error; `options.cause` is kept as `error.cause`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UsageError";
  }
}
