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
 * @module
 */

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

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Sums `bytes` as big-endian 16-bit words in ones'-complement arithmetic,
 * folding carries, with the word at `skip` (an even byte offset, or -1 for
 * none) read as zero. The result is 0 to 0xffff.
 *
 * Fast path: on a little-endian host, 4-byte-aligned bytes are read as
 * 32-bit words, each adding its two 16-bit halves. That sums little-endian
 * pairs, which is the big-endian sum with its bytes swapped (RFC 1071,
 * section 2(B)); the fold is deferred to the end (2^53 leaves room for
 * 2^36 words), and the skipped word is subtracted before folding.
 */
function onesComplementSum(bytes: Uint8Array, skip: number): number {
  const length = bytes.length;
  if (!LITTLE_ENDIAN || (bytes.byteOffset & 3) !== 0 || length < 8) {
    return bytewiseSum(bytes, skip);
  }
  const count = length >>> 2;
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, count);
  let sum = 0;
  for (let w = 0; w < count; w++) {
    const word = words[w]!;
    sum += (word & 0xffff) + (word >>> 16);
  }
  let i = count << 2;
  for (; i + 1 < length; i += 2) sum += bytes[i]! | (bytes[i + 1]! << 8);
  if (i < length) sum += bytes[i]!; // the odd byte, padded with a zero byte
  if (skip >= 0 && skip + 1 < length) sum -= bytes[skip]! | (bytes[skip + 1]! << 8);
  return swap16(fold(sum));
}

function bytewiseSum(bytes: Uint8Array, skip: number): number {
  let sum = 0;
  const even = bytes.length & ~1;
  for (let i = 0; i < even; i += 2) {
    if (i !== skip) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  }
  if (even !== bytes.length) sum += bytes[even]! << 8;
  return fold(sum);
}

function fold(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/**
 * The RFC 1071 checksum of `bytes`, as the 16-bit number written in network
 * order. `skip` names the byte offset of a 16-bit field to read as zero
 * (default: none).
 *
 * @example
 * ```ts
 * import { internetChecksum } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * // RFC 1071's own example: words 0001 f203 f4f5 f6f7 sum to ddf2.
 * const bytes = new Uint8Array([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]);
 * assert.equal(internetChecksum(bytes), 0xffff - 0xddf2);
 * ```
 */
export function internetChecksum(bytes: Uint8Array, skip = -1): number {
  return ~onesComplementSum(bytes, skip) & 0xffff;
}

function swap16(value: number): number {
  return ((value & 0xff) << 8) | (value >>> 8);
}

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
