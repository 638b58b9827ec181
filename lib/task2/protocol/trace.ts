/**
 * The test client's `--trace` lines: every Task 2 message as it goes, with
 * the time since the run began, escaped.
 *
 * @module
 */

import { showBytes } from "../../net/peer_text.ts";

/** Bytes shown per trace line; the rest is counted. */
const SHOWN = 64;

/**
 * One trace line: who, when (ms since the run began), which way (`->` to
 * the server, `<-` from it) and the bytes, escaped and cut after 64.
 *
 * @example
 * ```ts
 * import { traceLine } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode("13_f97e\x1b[2J");
 * assert.equal(traceLine("Client1", 1.23, "<-", bytes), "[Client1] +1.2ms <- 13_f97e\\x1b[2J");
 * assert.equal(
 *   traceLine("Client2", 0, "->", new Uint8Array(70).fill(0x41)),
 *   `[Client2] +0.0ms -> ${"A".repeat(64)}...(70 bytes)`,
 * );
 * ```
 */
export function traceLine(
  name: string,
  ms: number,
  arrow: "->" | "<-",
  bytes: Uint8Array,
): string {
  const more = bytes.length > SHOWN ? `...(${bytes.length} bytes)` : "";
  return `[${name}] +${ms.toFixed(1)}ms ${arrow} ${showBytes(bytes.subarray(0, SHOWN))}${more}`;
}
