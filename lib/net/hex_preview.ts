/**
 * A one-line preview of bytes for `--trace` output: the first bytes in hex
 * and as ASCII, the way a packet dump shows them.
 *
 * @module
 */

import { showBytes } from "./peer_text.ts";

/**
 * Shows up to `max` bytes as hex pairs and as escaped ASCII, noting how many
 * more there are.
 *
 * @example
 * ```ts
 * import { hexPreview } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode("Hello\n");
 * assert.equal(hexPreview(bytes), "48656c6c6f0a |Hello\\x0a|");
 * assert.equal(hexPreview(bytes, 2), "4865 |He| +4 bytes");
 * assert.equal(hexPreview(new Uint8Array()), "(no bytes)");
 * ```
 */
export function hexPreview(bytes: Uint8Array, max = 16): string {
  if (bytes.length === 0) return "(no bytes)";
  const head = bytes.subarray(0, max);
  const more = bytes.length > max ? ` +${bytes.length - max} bytes` : "";
  return `${head.toHex()} |${showBytes(head)}|${more}`;
}
