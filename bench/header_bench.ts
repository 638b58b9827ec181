/**
 * `deno bench bench/header_bench.ts`: the 16-byte Task 1 header codec
 * against unchecked `DataView` reads and writes (the floor: the same bytes
 * with no validation).
 *
 * @module
 */

import { decodeHeader, encodeHeader, type Header } from "../lib/task1/protocol/header.ts";

const HEADER: Header = { flag: 1, checksum: 0xa3e3, keyword: "sbmt", sid: 20200000, length: 16 };
const BYTES = encodeHeader(HEADER);
const target = new Uint8Array(16);

function uncheckedEncode(header: Header, out: Uint8Array): Uint8Array {
  const view = new DataView(out.buffer, out.byteOffset, 16);
  view.setUint16(0, header.flag);
  view.setUint16(2, header.checksum);
  for (let i = 0; i < 4; i++) view.setUint8(4 + i, header.keyword.charCodeAt(i));
  view.setUint32(8, header.sid);
  view.setUint32(12, header.length);
  return out;
}

function uncheckedDecode(bytes: Uint8Array): Header {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return {
    flag: view.getUint16(0) as 0 | 1,
    checksum: view.getUint16(2),
    keyword: String.fromCharCode(bytes[4]!, bytes[5]!, bytes[6]!, bytes[7]!),
    sid: view.getUint32(8),
    length: view.getUint32(12),
  };
}

Deno.bench({
  name: "unchecked DataView (baseline)",
  group: "header encode",
  baseline: true,
  fn: () => void uncheckedEncode(HEADER, target),
});
Deno.bench({
  name: "encodeHeader into a buffer",
  group: "header encode",
  fn: () => void encodeHeader(HEADER, target),
});
Deno.bench({
  name: "encodeHeader, new array",
  group: "header encode",
  fn: () => void encodeHeader(HEADER),
});
Deno.bench({
  name: "unchecked DataView (baseline)",
  group: "header decode",
  baseline: true,
  fn: () => void uncheckedDecode(BYTES),
});
Deno.bench({ name: "decodeHeader", group: "header decode", fn: () => void decodeHeader(BYTES) });
