/**
 * The Internet checksum (RFC 1071): a ones'-complement sum of 16-bit
 * big-endian words, an odd trailing byte padded with a zero byte, carries
 * folded back in, the result complemented. TCP, UDP and IPv4 headers use it;
 * so does Task 1's packet (in its own byte order, see `lib/task1`).
 *
 * @module
 */

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
 * import { internetChecksum } from "@cs341/practice2/net";
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

/** `value`, a 16-bit number, with its two bytes swapped. */
export function swap16(value: number): number {
  return ((value & 0xff) << 8) | (value >>> 8);
}
