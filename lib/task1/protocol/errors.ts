/**
 * Task 1 errors: a header or a checksum that breaks the protocol.
 *
 * @module
 */

import { ProtocolError } from "../../net/errors.ts";

/**
 * A Task 1 header breaks a rule: its size, flag, keyword or length.
 *
 * @example
 * ```ts
 * import { HeaderError } from "@cs341/practice2/task1";
 * import { ProtocolError } from "@cs341/practice2/net";
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
 * import { ChecksumError } from "@cs341/practice2/task1";
 * import { ProtocolError } from "@cs341/practice2/net";
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
