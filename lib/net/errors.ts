/**
 * Domain errors. Every class sets `name`, so logs and `instanceof` checks
 * agree, and passes `{ cause }` through to `Error`.
 *
 * @module
 */

/**
 * Base class for every violation of a Practice #2 wire protocol.
 *
 * @example
 * ```ts
 * import { ProtocolError } from "./errors.ts";
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
 * A Task 1 header breaks a rule: its size, flag, keyword or length.
 *
 * @example
 * ```ts
 * import { HeaderError, ProtocolError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new HeaderError("Invalid header: length 12000 exceeds 10000");
 * assert.equal(error.name, "HeaderError");
 * assert.ok(error instanceof ProtocolError);
 * ```
 */
export class HeaderError extends ProtocolError {
  /** Builds the error; `options.cause` is kept as `error.cause`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "HeaderError";
  }
}

/**
 * A Task 1 packet's checksum field does not match its bytes.
 *
 * @example
 * ```ts
 * import { ChecksumError, ProtocolError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new ChecksumError("Bad checksum: field 0x1234, expected 0xa3e3");
 * assert.equal(error.name, "ChecksumError");
 * assert.ok(error instanceof ProtocolError);
 * ```
 */
export class ChecksumError extends ProtocolError {
  /** Builds the error; `options.cause` is kept as `error.cause`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ChecksumError";
  }
}

/**
 * The peer closed the connection in the middle of a frame or message.
 * A close *between* frames is not an error: readers report it as `null`.
 *
 * @example
 * ```ts
 * import { ProtocolError, TruncatedError } from "./errors.ts";
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
 * A Task 2 request is malformed: an unknown keyword, a bad number, a
 * length over the limit. The server answers it and keeps serving.
 *
 * @example
 * ```ts
 * import { ProtocolError, RequestError } from "./errors.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new RequestError("Unknown request 'HELLO'");
 * assert.equal(error.name, "RequestError");
 * assert.ok(error instanceof ProtocolError);
 * ```
 */
export class RequestError extends ProtocolError {
  /** Builds the error; `options.cause` is kept as `error.cause`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "RequestError";
  }
}

/**
 * An operation did not finish within its time limit.
 *
 * @example
 * ```ts
 * import { TimeoutError } from "./errors.ts";
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
 * A command line is wrong: a missing, unknown or malformed flag.
 * CLIs print its message with a pointer to `--help` and exit with code 2.
 *
 * @example
 * ```ts
 * import { UsageError } from "./errors.ts";
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
 * A connection could not be opened: refused, unreachable, or unresolvable.
 *
 * @example
 * ```ts
 * import { ConnectionError } from "./errors.ts";
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
