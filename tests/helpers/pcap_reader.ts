/**
 * Test helper: reads a classic little-endian LINKTYPE_RAW pcap file (as
 * lib/net/pcap.ts writes it) back into TCP segments, and the byte streams
 * each TCP connection carried.
 *
 * @module
 */

import assert from "node:assert/strict";

/** One TCP segment of a capture. */
export interface Segment {
  src: number;
  dst: number;
  seq: number;
  ack: number;
  flags: number;
  payload: Uint8Array;
  /** Whether the IPv4 header checksum is right. */
  ipOk: boolean;
}

/** Reads a classic little-endian LINKTYPE_RAW pcap back into TCP segments. */
export function parsePcap(file: Uint8Array): Segment[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  assert.equal(view.getUint32(0, true), 0xa1b2c3d4);
  assert.equal(view.getUint32(20, true), 101);
  const out: Segment[] = [];
  let at = 24;
  while (at < file.length) {
    const incl = view.getUint32(at + 8, true);
    assert.equal(view.getUint32(at + 12, true), incl);
    const ip = file.subarray(at + 16, at + 16 + incl);
    const v = new DataView(ip.buffer, ip.byteOffset, ip.byteLength);
    assert.equal(v.getUint16(2), incl);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += v.getUint16(i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    out.push({
      src: v.getUint16(20),
      dst: v.getUint16(22),
      seq: v.getUint32(24),
      ack: v.getUint32(28),
      flags: v.getUint8(33),
      payload: ip.subarray(40),
      ipOk: sum === 0xffff,
    });
    at += 16 + incl;
  }
  assert.equal(at, file.length);
  return out;
}

/** The bytes each direction of each connection carried, keyed `src>dst`. */
export function pcapStreams(file: Uint8Array): Map<string, Uint8Array> {
  const parts = new Map<string, number[]>();
  for (const segment of parsePcap(file)) {
    const key = `${segment.src}>${segment.dst}`;
    const list = parts.get(key) ?? [];
    list.push(...segment.payload);
    parts.set(key, list);
  }
  return new Map([...parts].map(([key, bytes]) => [key, new Uint8Array(bytes)]));
}
