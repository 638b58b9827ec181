/**
 * Showing what a peer sent, safely: in a log line, an error message or on a
 * terminal, bytes and text from the network are escaped, so a peer cannot
 * move the cursor, clear the screen or forge a line with control codes.
 *
 * @module
 */

function escapeCode(code: number): string {
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
}

/**
 * Shows bytes from the wire: printable ASCII as is, a backslash as `\\`,
 * anything else as `\xNN`.
 *
 * @example
 * ```ts
 * import { showBytes } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * assert.equal(showBytes(new Uint8Array([0x48, 0x69, 0x0a, 0x1b])), "Hi\\x0a\\x1b");
 * ```
 */
export function showBytes(bytes: Iterable<number>): string {
  let text = "";
  for (const byte of bytes) {
    text += byte === 0x5c
      ? "\\\\"
      : byte >= 0x20 && byte < 0x7f
      ? String.fromCharCode(byte)
      : escapeCode(byte);
  }
  return text;
}

/**
 * Shows text that came from a peer: control characters (C0, DEL, C1),
 * line and paragraph separators and bidirectional overrides are escaped,
 * other characters kept. Use it on every peer-supplied string before
 * printing it.
 *
 * @example
 * ```ts
 * import { showText } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * assert.equal(showText("GOOD\x1b[2J"), "GOOD\\x1b[2J");
 * assert.equal(showText("caf\u00e9 ok"), "caf\u00e9 ok");
 * ```
 */
export function showText(text: string): string {
  return text.replace(UNSAFE, (c) => c === "\\" ? "\\\\" : escapeCode(c.codePointAt(0)!));
}

// C0 and C1 controls, DEL, line and paragraph separators, bidi overrides, and
// the backslash that starts an escape. Matching control characters is the point.
// deno-lint-ignore no-control-regex
const UNSAFE = new RegExp(
  "[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\\\]",
  "g",
);
