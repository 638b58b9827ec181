/**
 * Errors of the network layer, shared by both tasks. Every class sets `name`,
 * so logs and `instanceof` checks agree, and passes `{ cause }` through.
 *
 * @module
 */

/**
 * Base class for every violation of a Practice #2 wire protocol.
 *
 * @example
 * ```ts
 * import { ProtocolError } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const error = new ProtocolError("Invalid packet: too short");
 * assert.equal(error.name, "ProtocolError");
 * assert.ok(error instanceof Error);
 * ```
 */
export class ProtocolError extends Error {
  /** Builds the error; `options.cause` is kept as `error.cause`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ProtocolError";
  }
}

/**
 * The peer closed the connection in the middle of a frame or message.
 * A close *between* frames is not an error: readers report it as `null`.
 *
 * @example
 * ```ts
 * import { ProtocolError, TruncatedError } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const error = new TruncatedError("Connection closed after 3 of 16 bytes");
 * assert.equal(error.name, "TruncatedError");
 * assert.ok(error instanceof ProtocolError);
 * ```
 */
export class TruncatedError extends ProtocolError {
  /** Builds the error; `options.cause` is kept as `error.cause`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TruncatedError";
  }
}

/**
 * An operation did not finish within its time limit.
 *
 * @example
 * ```ts
 * import { TimeoutError } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const error = new TimeoutError("Timed out after 5000 ms waiting for a packet");
 * assert.equal(error.name, "TimeoutError");
 * ```
 */
export class TimeoutError extends Error {
  /** Builds the error; `options.cause` is kept as `error.cause`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TimeoutError";
  }
}

/**
 * A connection could not be opened: refused, unreachable, or unresolvable.
 *
 * @example
 * ```ts
 * import { ConnectionError } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const error = new ConnectionError("Cannot connect to 127.0.0.1:9: connection refused");
 * assert.equal(error.name, "ConnectionError");
 * ```
 */
export class ConnectionError extends Error {
  /** Builds the error; `options.cause` is kept as `error.cause`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConnectionError";
  }
}

/**
 * The message of `error` for a log line or a reply: its `message` when it is
 * an `Error`, else its text.
 *
 * @example
 * ```ts
 * import { describeError } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * assert.equal(describeError(new RangeError("too big")), "too big");
 * assert.equal(describeError("plain"), "plain");
 * ```
 */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
