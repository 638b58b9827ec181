/**
 * The 16-byte Task 1 header, in network byte order (struct format `!HH4sII`):
 *
 * | offset | size | field    | meaning                                      |
 * | ------ | ---- | -------- | -------------------------------------------- |
 * | 0      | 2    | flag     | 0: more packets follow, 1: last packet       |
 * | 2      | 2    | checksum | see `checksum.ts`                            |
 * | 4      | 4    | keyword  | 4 ASCII letters                              |
 * | 8      | 4    | sid      | student id (the score, in a result packet)   |
 * | 12     | 4    | length   | whole packet, header included: 16 to 10,000  |
 *
 * @module
 */

import { HeaderError } from "./errors.ts";
import { isAsciiLetter, keywordProblem } from "./keyword.ts";

/**
 * Size of the header in bytes.
 *
 * @example
 * ```ts
 * import { HEADER_SIZE, decodeHeader } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const bytes = new Uint8Array(HEADER_SIZE - 1);
 * assert.throws(() => decodeHeader(bytes), { message: "Invalid header: got 15 bytes, expected 16" });
 * ```
 */
export const HEADER_SIZE = 16;
/**
 * Largest packet, header included, in bytes.
 */
export const MAX_PACKET_SIZE = 10_000;
/**
 * Largest data field of one packet: 9,984 bytes.
 *
 * @example
 * ```ts
 * import { encodePacket, MAX_DATA_SIZE, MAX_PACKET_SIZE } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const packet = (size: number) =>
 *   encodePacket({ flag: 1, keyword: "test", sid: 1, data: new Uint8Array(size) });
 * assert.equal(packet(MAX_DATA_SIZE).length, MAX_PACKET_SIZE); // the most one packet carries
 * assert.throws(() => packet(MAX_DATA_SIZE + 1), { name: "HeaderError" });
 * ```
 */
export const MAX_DATA_SIZE: number = MAX_PACKET_SIZE - HEADER_SIZE;

/**
 * The flag field: 0 when more packets follow, 1 on the last packet.
 */
export type Flag = 0 | 1;

/**
 * The decoded fields of a header.
 *
 * @example
 * ```ts
 * import { decodeHeader, encodeHeader, type Header } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const header: Header = { flag: 1, checksum: 0xa3e3, keyword: "sbmt", sid: 20200000, length: 16 };
 * assert.deepEqual(decodeHeader(encodeHeader(header)), header);
 * ```
 */
export interface Header {
  /** 0: more packets follow; 1: this is the last one. */
  flag: Flag;
  /** The checksum field as read (or to write). */
  checksum: number;
  /** Four ASCII letters. */
  keyword: string;
  /** Student id, or the score in a result packet (unsigned 32-bit). */
  sid: number;
  /** Length of the whole packet, header included (16 to 10,000). */
  length: number;
}

const MAX_UINT32 = 0xffff_ffff;

function describeBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => `0x${b.toString(16).padStart(2, "0")}`).join(" ");
}

function checkFlag(flag: number): void {
  if (flag !== 0 && flag !== 1) {
    throw new HeaderError(`Invalid header: flag ${flag}, expected 0 (more) or 1 (last)`);
  }
}

function checkFields(flag: number, keyword: string, sid: number, length: number): void {
  checkFlag(flag);
  const problem = keywordProblem(keyword);
  if (problem) throw new HeaderError(`Invalid header: ${problem}`);
  if (!Number.isInteger(sid) || sid < 0 || sid > MAX_UINT32) {
    throw new HeaderError(`Invalid header: sid ${sid} is not an unsigned 32-bit integer`);
  }
  if (!Number.isInteger(length) || length < HEADER_SIZE) {
    throw new HeaderError(
      `Invalid header: length ${length} is below the ${HEADER_SIZE}-byte header`,
    );
  }
  if (length > MAX_PACKET_SIZE) {
    throw new HeaderError(`Invalid header: length ${length} exceeds ${MAX_PACKET_SIZE}`);
  }
}

/**
 * Writes `header` into the first 16 bytes of `target` (a new array by
 * default) in network byte order. Throws {@linkcode HeaderError} for a field
 * out of range, so no invalid header is ever produced.
 *
 * @example
 * ```ts
 * import { encodeHeader } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const bytes = encodeHeader({ flag: 1, checksum: 0xa3e3, keyword: "sbmt", sid: 20200000, length: 16 });
 * assert.deepEqual([...bytes], [
 *   0x00, 0x01, 0xa3, 0xe3, 0x73, 0x62, 0x6d, 0x74,
 *   0x01, 0x34, 0x3a, 0x40, 0x00, 0x00, 0x00, 0x10,
 * ]);
 * ```
 */
export function encodeHeader(
  header: Header,
  target: Uint8Array = new Uint8Array(HEADER_SIZE),
): Uint8Array {
  const { flag, checksum, keyword, sid, length } = header;
  checkFields(flag, keyword, sid, length);
  if (!Number.isInteger(checksum) || checksum < 0 || checksum > 0xffff) {
    throw new HeaderError(`Invalid header: checksum ${checksum} is not an unsigned 16-bit integer`);
  }
  if (target.length < HEADER_SIZE) {
    throw new RangeError(`Header target holds ${target.length} bytes, needs ${HEADER_SIZE}`);
  }
  const view = new DataView(target.buffer, target.byteOffset, HEADER_SIZE);
  view.setUint16(0, flag);
  view.setUint16(2, checksum);
  for (let i = 0; i < 4; i++) view.setUint8(4 + i, keyword.charCodeAt(i));
  view.setUint32(8, sid);
  view.setUint32(12, length);
  return target;
}

/**
 * Reads the header at the start of `bytes` (at least 16 bytes) and checks
 * every field: flag 0 or 1, keyword 4 ASCII letters, length 16 to 10,000.
 * Whether the length agrees with the bytes that follow, and the checksum, are
 * checked by `decodePacket`.
 *
 * @example
 * ```ts
 * import { decodeHeader } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const bytes = new Uint8Array([
 *   0x00, 0x01, 0xa3, 0xe3, 0x73, 0x62, 0x6d, 0x74,
 *   0x01, 0x34, 0x3a, 0x40, 0x00, 0x00, 0x00, 0x10,
 * ]);
 * assert.deepEqual(decodeHeader(bytes), {
 *   flag: 1, checksum: 0xa3e3, keyword: "sbmt", sid: 20200000, length: 16,
 * });
 * bytes[15] = 0x0c;
 * assert.throws(() => decodeHeader(bytes), {
 *   name: "HeaderError",
 *   message: "Invalid header: length 12 is below the 16-byte header",
 * });
 * ```
 */
export function decodeHeader(bytes: Uint8Array): Header {
  if (bytes.length < HEADER_SIZE) {
    throw new HeaderError(`Invalid header: got ${bytes.length} bytes, expected ${HEADER_SIZE}`);
  }
  // Fields are checked in wire order, so garbage is reported by its first field.
  const flag = peekHeader.flag(bytes);
  checkFlag(flag);
  const keywordBytes = peekHeader.keyword(bytes);
  if (!keywordBytes.every(isAsciiLetter)) {
    throw new HeaderError(
      `Invalid header: keyword bytes ${describeBytes(keywordBytes)} are not 4 ASCII letters`,
    );
  }
  const keyword = String.fromCharCode(...keywordBytes);
  const sid = peekHeader.sid(bytes);
  const length = peekHeader.length(bytes);
  checkFields(flag, keyword, sid, length);
  return { flag: flag as Flag, checksum: peekHeader.checksum(bytes), keyword, sid, length };
}

/**
 * The raw header fields of a packet, read where they sit without any check:
 * the one place that knows the field offsets (flag 0, checksum 2, keyword 4,
 * sid 8, length 12). `at` is where the header starts in `bytes`, which must
 * hold the 16 header bytes from there. For a checked read use
 * {@linkcode decodeHeader}; for framing, {@linkcode packetLength}.
 *
 * @example
 * ```ts
 * import { encodeHeader, peekHeader } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const bytes = encodeHeader({ flag: 1, checksum: 0xa3e3, keyword: "sbmt", sid: 20200000, length: 16 });
 * bytes[1] = 7; // a flag no checked decode would accept
 * assert.equal(peekHeader.flag(bytes), 7);
 * assert.equal(peekHeader.checksum(bytes), 0xa3e3);
 * assert.deepEqual([...peekHeader.keyword(bytes)], [...new TextEncoder().encode("sbmt")]);
 * assert.equal(peekHeader.sid(bytes), 20200000);
 * assert.equal(peekHeader.length(bytes), 16);
 * ```
 */
export const peekHeader = {
  /** The flag field (any 16-bit value). */
  flag: (bytes: Uint8Array, at = 0): number => (bytes[at]! << 8) | bytes[at + 1]!,
  /** The checksum field as it sits on the wire. */
  checksum: (bytes: Uint8Array, at = 0): number => (bytes[at + 2]! << 8) | bytes[at + 3]!,
  /** The 4 keyword bytes (a view, not a copy). */
  keyword: (bytes: Uint8Array, at = 0): Uint8Array => bytes.subarray(at + 4, at + 8),
  /** The sid field (unsigned 32-bit). */
  sid: (bytes: Uint8Array, at = 0): number => u32(bytes, at + 8),
  /** The length field (unsigned 32-bit), unchecked. */
  length: (bytes: Uint8Array, at = 0): number => u32(bytes, at + 12),
} as const;

function u32(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/**
 * The length field of the header at the start of `bytes` (at least 16
 * bytes), checked to be 16 to 10,000 and nothing else: what a reader needs to
 * find where the packet ends, so a packet with other faults can still be
 * framed and judged. Throws {@linkcode HeaderError} for a length out of range.
 *
 * @example
 * ```ts
 * import { packetLength } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const header = new Uint8Array(16);
 * header[15] = 20; // flag 0, no keyword, sid 0: framing needs only the length
 * assert.equal(packetLength(header), 20);
 * header[14] = 0x2e;
 * assert.throws(() => packetLength(header), { message: "Invalid header: length 11796 exceeds 10000" });
 * ```
 */
export function packetLength(bytes: Uint8Array): number {
  if (bytes.length < HEADER_SIZE) {
    throw new HeaderError(`Invalid header: got ${bytes.length} bytes, expected ${HEADER_SIZE}`);
  }
  const length = peekHeader.length(bytes);
  if (length < HEADER_SIZE) {
    throw new HeaderError(
      `Invalid header: length ${length} is below the ${HEADER_SIZE}-byte header`,
    );
  }
  if (length > MAX_PACKET_SIZE) {
    throw new HeaderError(`Invalid header: length ${length} exceeds ${MAX_PACKET_SIZE}`);
  }
  return length;
}
