/**
 * Test helpers: Task 1 packets made the way mistaken student clients make
 * them (little-endian fields, checksums summed the wrong way, ...), and a
 * client that gathers the whole text and replies in one write.
 */

import { internetChecksum, packetChecksum } from "../../lib/task1/protocol/checksum.ts";
import { FrameReader } from "../../lib/task1/protocol/frame_reader.ts";
import { isResultKeyword } from "../../lib/task1/protocol/keyword.ts";
import { type DecodedPacket, encodePacket } from "../../lib/task1/protocol/packet.ts";
import { xorCipher } from "../../lib/task1/protocol/xor.ts";
import { writeAll } from "./sockets.ts";

/** The student id the helpers use. */
export const SID = 20200000;

const swap16 = (value: number) => ((value & 0xff) << 8) | (value >>> 8);

/** Writes `value` into the checksum field. */
export function setChecksum(packet: Uint8Array, value: number): Uint8Array {
  packet[2] = value >>> 8;
  packet[3] = value & 0xff;
  return packet;
}

/** Seals `packet` with the right checksum (course order) over its bytes as they are. */
export function sealed(packet: Uint8Array): Uint8Array {
  return setChecksum(packet, packetChecksum(packet));
}

/** The lone opening header, right, as a new array. */
export function header(keyword = "sbmt", sid = SID): Uint8Array {
  return encodePacket({ flag: 1, keyword, sid, data: new Uint8Array() });
}

/** Reverses bytes `from` to `to` (a field packed little-endian) and reseals. */
export function littleEndian(packet: Uint8Array, from: number, to: number): Uint8Array {
  const copy = packet.slice();
  copy.set(copy.slice(from, to).reverse(), from);
  return sealed(copy);
}

/** The checksum left uncomplemented (the course's byte order). */
export function notComplemented(packet: Uint8Array): Uint8Array {
  const copy = packet.slice();
  return setChecksum(copy, ~packetChecksum(copy) & 0xffff);
}

/** The course's little-endian sum with no carry folded at all, complemented. */
export function notFolded(packet: Uint8Array): Uint8Array {
  const copy = packet.slice();
  let sum = 0;
  for (let i = 0; i < copy.length; i += 2) {
    if (i !== 2) sum += copy[i]! | ((copy[i + 1] ?? 0) << 8);
  }
  return setChecksum(copy, ~sum & 0xffff);
}

/** The checksum of the 16-byte header alone (course order). */
export function headerOnly(packet: Uint8Array): Uint8Array {
  const copy = packet.slice();
  return setChecksum(copy, packetChecksum(copy.subarray(0, 16)));
}

/** The checksum of the data alone (course order). */
export function dataOnly(packet: Uint8Array): Uint8Array {
  const copy = packet.slice();
  return setChecksum(copy, swap16(internetChecksum(copy.subarray(16))));
}

/**
 * A reply built from the packet the server sent: its checksum field still
 * in place when the new checksum was summed (the field not zeroed).
 */
export function fieldNotZeroed(reply: Uint8Array): Uint8Array {
  const key = reply.subarray(4, 8);
  const sent = encodePacket({
    flag: reply[1] === 1 ? 1 : 0,
    keyword: String.fromCharCode(...key),
    sid: new DataView(reply.buffer, reply.byteOffset).getUint32(8),
    data: xorCipher(reply.subarray(16), key),
  });
  const copy = reply.slice();
  copy.set(sent.subarray(2, 4), 2);
  return setChecksum(copy, swap16(internetChecksum(copy)));
}

/** Rebuilds a reply packet with other fields (right checksum). */
export function rebuilt(
  packet: Uint8Array,
  fields: { flag?: number; keyword?: string; sid?: number; data?: Uint8Array },
): Uint8Array {
  const view = new DataView(packet.buffer, packet.byteOffset);
  const data = fields.data ?? packet.subarray(16);
  const copy = new Uint8Array(16 + data.length);
  copy.set(packet.subarray(0, 16));
  copy.set(data, 16);
  const out = new DataView(copy.buffer);
  out.setUint16(0, fields.flag ?? view.getUint16(0));
  if (fields.keyword) copy.set(new TextEncoder().encode(fields.keyword), 4);
  out.setUint32(8, fields.sid ?? view.getUint32(8));
  out.setUint32(12, copy.length);
  return sealed(copy);
}

/** A reply packet's data encrypted again (the client sent the ciphertext back). */
export function encrypted(packet: Uint8Array): Uint8Array {
  return rebuilt(packet, { data: xorCipher(packet.subarray(16), packet.subarray(4, 8)) });
}

/** A reply packet decrypted with the key shifted by `shift` bytes. */
export function keyShifted(packet: Uint8Array, shift: number): Uint8Array {
  const key = packet.subarray(4, 8);
  const data = packet.subarray(16).map((byte, j) => byte ^ key[j % 4]! ^ key[(j + shift) % 4]!);
  return rebuilt(packet, { data });
}

/** What the server answered a gathering client. */
export interface GatherRun {
  result: DecodedPacket | null;
  message: string;
}

/**
 * A client that reads every data packet, decrypts the whole text, and
 * sends what `reply(text, key)` makes of it in one write, then reads the
 * result.
 */
export async function runGatherer(
  port: number,
  reply: (text: Uint8Array, key: string) => Uint8Array,
): Promise<GatherRun> {
  using conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const reader = new FrameReader(conn.readable);
  await writeAll(conn, header("test"));
  const parts: Uint8Array[] = [];
  let key = "";
  for (;;) {
    const packet = await reader.readPacket();
    if (packet === null) return { result: null, message: "" };
    if (isResultKeyword(packet.keyword)) {
      return { result: packet, message: new TextDecoder().decode(packet.data) };
    }
    key = packet.keyword;
    parts.push(xorCipher(packet.data, key));
    if (packet.flag === 1) break;
  }
  const text = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  parts.reduce((at, part) => (text.set(part, at), at + part.length), 0);
  await writeAll(conn, reply(text, key));
  for (;;) {
    const packet = await reader.readPacket();
    if (packet === null || isResultKeyword(packet.keyword)) {
      return { result: packet, message: new TextDecoder().decode(packet?.data) };
    }
  }
}
