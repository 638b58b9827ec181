/**
 * Task 2 errors: a malformed request.
 *
 * @module
 */

import { ProtocolError } from "../../net/errors.ts";

/**
 * A Task 2 request is malformed: an unknown keyword, a bad number, a
 * length over the limit. The server answers it and keeps serving.
 *
 * @example
 * ```ts
 * import { ProtocolError } from "@cs341/practice2/net";
 * import { RequestError } from "@cs341/practice2/task2";
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
