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

/**
 * A flag the role does not know. `flag` is the flag as given, without its
 * value (`--clients`), so a program of several roles can say which role
 * it belongs to.
 *
 * @example
 * ```ts
 * import { flag, parseFlags, UnknownFlagError } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const flags = { port: flag.port({ description: "Port", default: 1234 }) };
 * assert.throws(() => parseFlags(flags, ["--clients=4"]), (error) => {
 *   assert.ok(error instanceof UnknownFlagError);
 *   assert.equal(error.flag, "--clients");
 *   return true;
 * });
 * ```
 */
export class UnknownFlagError extends UsageError {
  /** The unknown flag as given, without its value. */
  readonly flag: string;

  /** Builds the error for `flag`; `options.cause` is kept as `error.cause`. */
  constructor(message: string, flag: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "UnknownFlagError";
    this.flag = flag;
  }
}
