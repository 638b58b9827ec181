/**
 * The Task 1 packet checksum.
 *
 * It is the Internet (TCP, RFC 1071) checksum over the whole packet with the
 * checksum field read as zero: a ones'-complement sum of 16-bit words, an odd
 * trailing byte padded with a zero byte, carries folded back in, the result
 * complemented. The course's server summed the words in *little-endian* order
 * and stored the result in network order, so the two bytes on the wire are
 * those of RFC 1071 swapped. Since a ones'-complement sum commutes with byte
 * swapping (RFC 1071, section 2(B)), the course's value is exactly the
 * RFC 1071 value with its bytes swapped.
 *
 * The RFC 1071 sum itself is {@linkcode internetChecksum} in `lib/net`
 * (the capture writer's IPv4 headers use it too); this module holds what is
 * Task 1's: the field's offset and the course's byte order.
 *
 * @module
 */

import { internetChecksum, swap16 } from "../../net/internet_checksum.ts";

export { internetChecksum };

/**
 * Byte offset of the 16-bit checksum field inside a packet.
 */
export const CHECKSUM_OFFSET = 2;

/**
 * The two byte orders a checksum field can hold.
 *
 * @example
 * ```ts
 * import { type ChecksumOrder, verifyChecksum } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const header = new Uint8Array([0, 1, 0xe3, 0xa3, 0x73, 0x62, 0x6d, 0x74, 1, 0x34, 0x3a, 0x40, 0, 0, 0, 16]);
 * const order: ChecksumOrder | undefined = verifyChecksum(header);
 * assert.equal(order, "rfc1071");
 * ```
 */
export type ChecksumOrder = "course" | "rfc1071";

/**
 * The checksum field value for a whole Task 1 `packet` (header and data),
 * computed with the field itself read as zero. `"course"` (the default) gives
 * the byte-swapped form the course's server used; `"rfc1071"` the standard
 * order. Store it with `DataView.setUint16(2, value)` (network order).
 *
 * @example
 * ```ts
 * import { packetChecksum } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * // flag=1, checksum=0, keyword "sbmt", sid 20200000, length 16
 * const header = new Uint8Array([
 *   0x00, 0x01, 0x00, 0x00, 0x73, 0x62, 0x6d, 0x74,
 *   0x01, 0x34, 0x3a, 0x40, 0x00, 0x00, 0x00, 0x10,
 * ]);
 * assert.equal(packetChecksum(header), 0xa3e3);
 * assert.equal(packetChecksum(header, "rfc1071"), 0xe3a3);
 * ```
 */
export function packetChecksum(packet: Uint8Array, order: ChecksumOrder = "course"): number {
  const standard = internetChecksum(packet, CHECKSUM_OFFSET);
  return order === "course" ? swap16(standard) : standard;
}

/**
 * Checks the checksum field of a whole Task 1 `packet`. Returns the byte
 * order it matched, `"course"` or `"rfc1071"`, or `undefined` when it matches
 * neither. Both are accepted because the slides say only "calculated in the
 * same way as TCP checksum".
 *
 * @example
 * ```ts
 * import { verifyChecksum } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const header = new Uint8Array([
 *   0x00, 0x01, 0xa3, 0xe3, 0x73, 0x62, 0x6d, 0x74,
 *   0x01, 0x34, 0x3a, 0x40, 0x00, 0x00, 0x00, 0x10,
 * ]);
 * assert.equal(verifyChecksum(header), "course");
 * header[2] = 0xe3;
 * header[3] = 0xa3;
 * assert.equal(verifyChecksum(header), "rfc1071");
 * header[15] = 0x11;
 * assert.equal(verifyChecksum(header), undefined);
 * ```
 */
export function verifyChecksum(packet: Uint8Array): ChecksumOrder | undefined {
  if (packet.length < CHECKSUM_OFFSET + 2) return undefined;
  const field = (packet[CHECKSUM_OFFSET]! << 8) | packet[CHECKSUM_OFFSET + 1]!;
  const standard = internetChecksum(packet, CHECKSUM_OFFSET);
  if (field === swap16(standard)) return "course";
  if (field === standard) return "rfc1071";
  return undefined;
}
