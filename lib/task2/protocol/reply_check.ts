/**
 * How the Task 2 test client reads the server's bytes: where a UUID or a
 * reply ends, and whether a reply is right. Replies carry no terminator, so
 * a reply is complete when it ends in `_` and a UUID, in either form.
 *
 * @module
 */

const UUID_PREFIX =
  /^(?:[0-9a-f]{0,32}|[0-9a-f]{8}-(?:[0-9a-f]{0,4}|[0-9a-f]{4}-(?:[0-9a-f]{0,4}|[0-9a-f]{4}-(?:[0-9a-f]{0,4}|[0-9a-f]{4}-[0-9a-f]{0,12}))))$/i;
const REPLY_END = /_([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Whether `text` could still grow into a UUID (hex or dashed form), so a
 * reader should wait for more.
 *
 * @example
 * ```ts
 * import { isUuidPrefix } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isUuidPrefix("f97e575c-28d5"));
 * assert.ok(!isUuidPrefix("ERROR"));
 * ```
 */
export function isUuidPrefix(text: string): boolean {
  return UUID_PREFIX.test(text);
}

/**
 * Whether `text` is a whole reply: it ends in `_` and a UUID.
 *
 * @example
 * ```ts
 * import { isWholeReply } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isWholeReply("13_f97e575c28d536b49170f3cbaef757af"));
 * assert.ok(!isWholeReply("13_f97e575c28d536b4"));
 * ```
 */
export function isWholeReply(text: string): boolean {
  return REPLY_END.test(text);
}

/**
 * Shortens long text from the wire for a message.
 *
 * @example
 * ```ts
 * import { shorten } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(shorten("x".repeat(70)), `${"x".repeat(60)}...(70 bytes)`);
 * ```
 */
export function shorten(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}...(${text.length} bytes)` : text;
}

/**
 * Checks a whole reply against the expected answer and the UUID this
 * connection was given (the same string, hex or dashed): returns `Okay`, or
 * what is wrong.
 *
 * @example
 * ```ts
 * import { checkReply } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const uuid = "f97e575c28d536b49170f3cbaef757af";
 * assert.equal(checkReply(`13_${uuid}`, "13", uuid), "Okay");
 * assert.equal(checkReply(`8_${uuid}`, "13", uuid), "expected 13, got '8'");
 * ```
 */
export function checkReply(reply: string, expected: string, uuid: string): string {
  const match = REPLY_END.exec(reply);
  if (match === null) return `expected '${expected}_${uuid}', got '${shorten(reply)}'`;
  const answer = reply.slice(0, match.index);
  if (match[1] !== uuid) return `reply ends with UUID ${match[1]}, this connection's is ${uuid}`;
  if (answer.startsWith("ERROR")) return `server replied '${shorten(answer)}'`;
  if (answer !== expected) return `expected ${shorten(expected)}, got '${shorten(answer)}'`;
  return "Okay";
}
