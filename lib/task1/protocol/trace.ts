/**
 * `--trace` lines: one line per Task 1 packet with its header decoded
 * without judging it, the checksum it carries and the one it should carry in
 * both byte orders, and the first data bytes in hex and ASCII. Everything
 * taken from the wire is escaped.
 *
 * @module
 */

import { hexPreview } from "../../net/hex_preview.ts";
import { showBytes } from "../../net/peer_text.ts";
import { packetChecksum } from "./checksum.ts";
import { HEADER_SIZE, peekHeader } from "./header.ts";

const hex16 = (value: number) => `0x${value.toString(16).padStart(4, "0")}`;

/**
 * Describes one frame as it went over the wire: a whole packet, or a header
 * alone (16 bytes) when its length was refused before the data was read.
 * Fields are shown as they are, valid or not.
 *
 * @example
 * ```ts
 * import { encodePacket, formatTrace } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const packet = encodePacket({ flag: 1, keyword: "sbmt", sid: 20200000, data: new Uint8Array() });
 * assert.equal(
 *   formatTrace(packet),
 *   "flag 1, checksum 0xa3e3 (0xe3a3 swapped; expected 0xa3e3, or 0xe3a3 in RFC 1071 order: ok), " +
 *     "keyword 'sbmt', sid 20200000, length 16, data (no bytes)",
 * );
 * ```
 */
export function formatTrace(frame: Uint8Array, previewBytes = 16): string {
  if (frame.length < HEADER_SIZE) {
    return `${frame.length} bytes, no whole header: ${hexPreview(frame)}`;
  }
  const flag = peekHeader.flag(frame);
  const field = peekHeader.checksum(frame);
  const length = peekHeader.length(frame);
  const swapped = ((field & 0xff) << 8) | (field >>> 8);
  let checksum = `checksum ${hex16(field)} (${hex16(swapped)} swapped`;
  if (length === frame.length) {
    const course = packetChecksum(frame);
    const rfc = packetChecksum(frame, "rfc1071");
    const verdict = field === course || field === rfc ? "ok" : "BAD";
    checksum += `; expected ${hex16(course)}, or ${hex16(rfc)} in RFC 1071 order: ${verdict})`;
  } else {
    checksum += ")";
  }
  const keyword = showBytes(peekHeader.keyword(frame)).replaceAll("'", "\\x27");
  const data = length === frame.length
    ? `data ${hexPreview(frame.subarray(HEADER_SIZE), previewBytes)}`
    : "data not read";
  return `flag ${flag}, ${checksum}, keyword '${keyword}', sid ${
    peekHeader.sid(frame)
  }, length ${length}, ${data}`;
}
