import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import {
  decodeHeader,
  encodeHeader,
  type Header,
  HEADER_SIZE,
  peekHeader,
} from "../../../lib/task1/protocol/header.ts";

const valid: Header = { flag: 1, checksum: 0xa3e3, keyword: "sbmt", sid: 20200000, length: 16 };

function withBytes(patch: Record<number, number>): Uint8Array {
  const bytes = encodeHeader(valid);
  for (const [at, value] of Object.entries(patch)) bytes[Number(at)] = value;
  return bytes;
}

const headerArbitrary: fc.Arbitrary<Header> = fc.record({
  flag: fc.constantFrom(0 as const, 1 as const),
  checksum: fc.integer({ min: 0, max: 0xffff }),
  keyword: fc.string({
    unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    minLength: 4,
    maxLength: 4,
  }),
  sid: fc.integer({ min: 0, max: 0xffff_ffff }),
  length: fc.integer({ min: 16, max: 10_000 }),
});

Deno.test("encodeHeader() writes network byte order", () => {
  const bytes = encodeHeader({
    flag: 0,
    checksum: 0x1234,
    keyword: "tree",
    sid: 0x01020304,
    length: 10_000,
  });
  assert.deepEqual(
    [...bytes],
    [
      0x00,
      0x00,
      0x12,
      0x34,
      0x74,
      0x72,
      0x65,
      0x65,
      0x01,
      0x02,
      0x03,
      0x04,
      0x00,
      0x00,
      0x27,
      0x10,
    ],
  );
});

Deno.test("encodeHeader() writes into a target at its offset", () => {
  const target = new Uint8Array(20).fill(0xee);
  encodeHeader(valid, target.subarray(2));
  assert.deepEqual([...target.subarray(0, 2)], [0xee, 0xee]);
  assert.deepEqual([...target.subarray(2, 18)], [...encodeHeader(valid)]);
  assert.deepEqual([...target.subarray(18)], [0xee, 0xee]);
});

Deno.test("decodeHeader() inverts encodeHeader() for every valid header", () => {
  fc.assert(fc.property(headerArbitrary, (header) => {
    assert.deepEqual(decodeHeader(encodeHeader(header)), { ...header });
  }));
});

Deno.test("decodeHeader() reads only the first 16 bytes", () => {
  const bytes = new Uint8Array(40);
  encodeHeader({ ...valid, length: 40 }, bytes);
  assert.equal(decodeHeader(bytes).length, 40);
});

Deno.test("decodeHeader() rejects every malformed header with a clear message", () => {
  const cases: [Uint8Array, string][] = [
    [new Uint8Array(15), "Invalid header: got 15 bytes, expected 16"],
    [withBytes({ 1: 2 }), "Invalid header: flag 2, expected 0 (more) or 1 (last)"],
    [withBytes({ 0: 1, 1: 0 }), "Invalid header: flag 256, expected 0 (more) or 1 (last)"],
    [withBytes({ 15: 15 }), "Invalid header: length 15 is below the 16-byte header"],
    [withBytes({ 12: 0x80, 15: 0x10 }), "Invalid header: length 2147483664 exceeds 10000"],
    [withBytes({ 14: 0x2e, 15: 0xe0 }), "Invalid header: length 12000 exceeds 10000"],
    [withBytes({ 14: 0x27, 15: 0x11 }), "Invalid header: length 10001 exceeds 10000"],
    [
      withBytes({ 5: 0x31 }),
      "Invalid header: keyword bytes 0x73 0x31 0x6d 0x74 are not 4 ASCII letters",
    ],
    [
      withBytes({ 7: 0x00 }),
      "Invalid header: keyword bytes 0x73 0x62 0x6d 0x00 are not 4 ASCII letters",
    ],
    [
      withBytes({ 4: 0xe0 }),
      "Invalid header: keyword bytes 0xe0 0x62 0x6d 0x74 are not 4 ASCII letters",
    ],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(() => decodeHeader(bytes), { name: "HeaderError", message });
  }
});

Deno.test("decodeHeader() accepts the length bounds 16 and 10000", () => {
  assert.equal(decodeHeader(withBytes({ 14: 0x00, 15: 0x10 })).length, 16);
  assert.equal(decodeHeader(withBytes({ 14: 0x27, 15: 0x10 })).length, 10_000);
});

Deno.test("decodeHeader() rejects random garbage unless it is a valid header", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: HEADER_SIZE, maxLength: HEADER_SIZE }), (bytes) => {
      const view = new DataView(bytes.buffer);
      const letters = [...bytes.subarray(4, 8)].every((b) =>
        /[A-Za-z]/.test(String.fromCharCode(b))
      );
      const ok = view.getUint16(0) <= 1 && letters && view.getUint32(12) >= 16 &&
        view.getUint32(12) <= 10_000;
      if (ok) assert.equal(decodeHeader(bytes).length, view.getUint32(12));
      else assert.throws(() => decodeHeader(bytes), { name: "HeaderError" });
    }),
  );
});

Deno.test("encodeHeader() refuses to produce an invalid header", () => {
  assert.throws(() => encodeHeader({ ...valid, keyword: "sb" }), {
    message: "Invalid header: keyword 'sb' is not 4 ASCII letters",
  });
  assert.throws(() => encodeHeader({ ...valid, length: 10_001 }), { name: "HeaderError" });
  assert.throws(() => encodeHeader({ ...valid, sid: -1 }), { name: "HeaderError" });
  assert.throws(() => encodeHeader({ ...valid, sid: 2 ** 32 }), { name: "HeaderError" });
  assert.throws(() => encodeHeader({ ...valid, checksum: 0x10000 }), { name: "HeaderError" });
  assert.throws(() => encodeHeader({ ...valid, flag: 2 as 0 }), { name: "HeaderError" });
  assert.throws(() => encodeHeader(valid, new Uint8Array(15)), { name: "RangeError" });
});

Deno.test("peekHeader reads the same fields as decodeHeader, at any offset in a buffer", () => {
  fc.assert(fc.property(headerArbitrary, fc.nat(40), (header, at) => {
    const buffer = new Uint8Array(at + HEADER_SIZE + 3).fill(0xee);
    buffer.set(encodeHeader(header), at);
    assert.deepEqual({
      flag: peekHeader.flag(buffer, at),
      checksum: peekHeader.checksum(buffer, at),
      keyword: new TextDecoder().decode(peekHeader.keyword(buffer, at)),
      sid: peekHeader.sid(buffer, at),
      length: peekHeader.length(buffer, at),
    }, { ...header });
  }));
});

Deno.test("peekHeader reads fields that decodeHeader refuses, unchecked", () => {
  fc.assert(fc.property(fc.uint8Array({ minLength: HEADER_SIZE, maxLength: HEADER_SIZE }), (b) => {
    const view = new DataView(b.buffer);
    assert.equal(peekHeader.flag(b), view.getUint16(0));
    assert.equal(peekHeader.checksum(b), view.getUint16(2));
    assert.deepEqual(peekHeader.keyword(b), b.subarray(4, 8));
    assert.equal(peekHeader.sid(b), view.getUint32(8));
    assert.equal(peekHeader.length(b), view.getUint32(12));
  }));
});
