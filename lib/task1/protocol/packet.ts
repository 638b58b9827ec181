/**
 * Whole Task 1 packets: header plus data, with the checksum computed on
 * encode and verified on decode, and the split of a payload into packets.
 *
 * @module
 */

import { type ChecksumOrder, packetChecksum, verifyChecksum } from "./checksum.ts";
import { ChecksumError, HeaderError } from "./errors.ts";
import {
  decodeHeader,
  encodeHeader,
  type Flag,
  HEADER_SIZE,
  MAX_DATA_SIZE,
  MAX_PACKET_SIZE,
} from "./header.ts";

/**
 * A packet's meaningful fields; length and checksum are derived.
 */
export interface Packet {
  /** 0: more packets follow; 1: last packet. */
  flag: Flag;
  /** Four ASCII letters. */
  keyword: string;
  /** Student id, or the score in a result packet. */
  sid: number;
  /** The data field, at most 9,984 bytes. */
  data: Uint8Array;
}

/**
 * A packet read from the wire, with the checksum order it used.
 *
 * @example
 * ```ts
 * import { type DecodedPacket, decodePacket, encodePacket } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const wire = encodePacket({ flag: 1, keyword: "tree", sid: 1, data: new Uint8Array() }, "rfc1071");
 * const packet: DecodedPacket = decodePacket(wire);
 * assert.equal(packet.checksumOrder, "rfc1071");
 * ```
 */
export interface DecodedPacket extends Packet {
  /** Which checksum byte order the sender used. */
  checksumOrder: ChecksumOrder;
}

/**
 * Encodes `packet` with its length and checksum filled in. The checksum is
 * written in the course's byte order unless `order` is `"rfc1071"`.
 *
 * @example
 * ```ts
 * import { encodePacket } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const bytes = encodePacket({ flag: 1, keyword: "sbmt", sid: 20200000, data: new Uint8Array() });
 * assert.deepEqual([...bytes], [
 *   0x00, 0x01, 0xa3, 0xe3, 0x73, 0x62, 0x6d, 0x74,
 *   0x01, 0x34, 0x3a, 0x40, 0x00, 0x00, 0x00, 0x10,
 * ]);
 * ```
 */
export function encodePacket(packet: Packet, order: ChecksumOrder = "course"): Uint8Array {
  const length = HEADER_SIZE + packet.data.length;
  if (length > MAX_PACKET_SIZE) {
    throw new HeaderError(`Invalid packet: length ${length} exceeds ${MAX_PACKET_SIZE}`);
  }
  const bytes = new Uint8Array(length);
  bytes.set(packet.data, HEADER_SIZE);
  return sealPacket(bytes, packet.flag, packet.keyword, packet.sid, order);
}

/**
 * Fills in the header of `bytes`, a whole packet whose data is already in
 * place after byte 16: flag, keyword, sid, the length (`bytes.length`), and
 * last the checksum. Returns `bytes`.
 */
function sealPacket(
  bytes: Uint8Array,
  flag: Flag,
  keyword: string,
  sid: number,
  order: ChecksumOrder,
): Uint8Array {
  encodeHeader({ flag, checksum: 0, keyword, sid, length: bytes.length }, bytes);
  const checksum = packetChecksum(bytes, order);
  bytes[2] = checksum >>> 8;
  bytes[3] = checksum & 0xff;
  return bytes;
}

/**
 * Decodes one whole packet: the header's fields are checked, its length must
 * equal `bytes.length`, and the checksum must match in either byte order.
 * The returned `data` is a view into `bytes`.
 *
 * @example
 * ```ts
 * import { decodePacket, encodePacket } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const data = new TextEncoder().encode("hi");
 * const bytes = encodePacket({ flag: 0, keyword: "tree", sid: 20200000, data });
 * const packet = decodePacket(bytes);
 * assert.equal(packet.keyword, "tree");
 * assert.deepEqual(packet.data, data);
 *
 * bytes[16] = 0x68 ^ 0xff;
 * assert.throws(() => decodePacket(bytes), { name: "ChecksumError" });
 * assert.throws(() => decodePacket(bytes.subarray(0, 17)), { name: "HeaderError" });
 * ```
 */
export function decodePacket(bytes: Uint8Array): DecodedPacket {
  const header = decodeHeader(bytes);
  if (header.length !== bytes.length) {
    throw new HeaderError(
      `Invalid packet: header says length ${header.length}, but the packet has ${bytes.length} bytes`,
    );
  }
  const order = verifyChecksum(bytes);
  if (order === undefined) {
    const expected = packetChecksum(bytes);
    throw new ChecksumError(
      `Bad checksum: field 0x${hex16(header.checksum)}, expected 0x${hex16(expected)}` +
        ` (or 0x${hex16(packetChecksum(bytes, "rfc1071"))} in RFC 1071 byte order)`,
    );
  }
  return {
    flag: header.flag,
    keyword: header.keyword,
    sid: header.sid,
    data: bytes.subarray(HEADER_SIZE),
    checksumOrder: order,
  };
}

function hex16(value: number): string {
  return value.toString(16).padStart(4, "0");
}

/**
 * Yields `payload` as encoded packets of at most `maxData` data bytes each
 * (9,984 by default, so every packet but the last is exactly 10,000 bytes),
 * all with `keyword` and `sid`, and flag 1 on the last one only. An empty
 * payload gives one packet with no data. `transform`, when given, rewrites
 * each packet's data in place before encoding (the XOR cipher, with its key
 * restarting per packet). Each packet is built only when asked for, so a
 * sender holds one packet at a time.
 *
 * @example
 * ```ts
 * import { packetsOf } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const sizes = [...packetsOf(new Uint8Array(25_000), "tree", 20200000)].map((p) => p.length);
 * assert.deepEqual(sizes, [10_000, 10_000, 5_048]);
 * ```
 */
export function* packetsOf(
  payload: Uint8Array,
  keyword: string,
  sid: number,
  maxData: number = MAX_DATA_SIZE,
  transform?: (data: Uint8Array) => Uint8Array,
): Generator<Uint8Array, void, undefined> {
  if (!Number.isInteger(maxData) || maxData < 1 || maxData > MAX_DATA_SIZE) {
    throw new RangeError(`maxData must be 1 to ${MAX_DATA_SIZE}, got ${maxData}`);
  }
  let offset = 0;
  do {
    const end = Math.min(offset + maxData, payload.length);
    // One allocation per packet: the data is copied (or transformed) into
    // its place after the header, then the header is sealed around it.
    const bytes = new Uint8Array(HEADER_SIZE + end - offset);
    const data = bytes.subarray(HEADER_SIZE);
    data.set(payload.subarray(offset, end));
    if (transform) {
      const changed = transform(data);
      if (changed !== data) data.set(changed);
    }
    const flag: Flag = end === payload.length ? 1 : 0;
    yield sealPacket(bytes, flag, keyword, sid, "course");
    offset = end;
  } while (offset < payload.length);
}

/**
 * All of {@linkcode packetsOf} at once, as an array.
 *
 * @example
 * ```ts
 * import { splitIntoPackets } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const packets = splitIntoPackets(new Uint8Array(25_000), "tree", 20200000);
 * assert.deepEqual(packets.map((p) => p.length), [10_000, 10_000, 5_048]);
 * assert.deepEqual(packets.map((p) => p[1]), [0, 0, 1]);
 * ```
 */
export function splitIntoPackets(
  payload: Uint8Array,
  keyword: string,
  sid: number,
  maxData: number = MAX_DATA_SIZE,
  transform?: (data: Uint8Array) => Uint8Array,
): Uint8Array[] {
  return [...packetsOf(payload, keyword, sid, maxData, transform)];
}
