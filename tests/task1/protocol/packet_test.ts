import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import { MAX_DATA_SIZE } from "../../../lib/task1/protocol/header.ts";
import {
  decodePacket,
  encodePacket,
  type Packet,
  splitIntoPackets,
} from "../../../lib/task1/protocol/packet.ts";
import { xorCipher } from "../../../lib/task1/protocol/xor.ts";

const packetArbitrary: fc.Arbitrary<Packet> = fc.record({
  flag: fc.constantFrom(0 as const, 1 as const),
  keyword: fc.string({ unit: fc.constantFrom(..."abcxyzGOODFAIL"), minLength: 4, maxLength: 4 }),
  sid: fc.integer({ min: 0, max: 0xffff_ffff }),
  data: fc.uint8Array({ maxLength: MAX_DATA_SIZE }),
});

Deno.test("encodePacket() produces the hand-computed bytes of a data packet", () => {
  const bytes = encodePacket({
    flag: 0,
    keyword: "tree",
    sid: 20200000,
    data: new TextEncoder().encode("hi"),
  });
  assert.deepEqual(
    [...bytes],
    [0, 0, 0x38, 0x82, 0x74, 0x72, 0x65, 0x65, 0x01, 0x34, 0x3a, 0x40, 0, 0, 0, 18, 0x68, 0x69],
  );
  assert.equal(
    encodePacket(
      { flag: 0, keyword: "tree", sid: 20200000, data: new TextEncoder().encode("hi") },
      "rfc1071",
    )[2],
    0x82,
  );
});

Deno.test("decodePacket() inverts encodePacket() in both checksum orders", () => {
  fc.assert(
    fc.property(
      packetArbitrary,
      fc.constantFrom("course" as const, "rfc1071" as const),
      (packet, order) => {
        const decoded = decodePacket(encodePacket(packet, order));
        assert.equal(decoded.flag, packet.flag);
        assert.equal(decoded.keyword, packet.keyword);
        assert.equal(decoded.sid, packet.sid);
        assert.deepEqual(decoded.data, packet.data);
        // Where both orders give the same two bytes, "course" is reported.
        const bytes = encodePacket(packet);
        assert.ok(decoded.checksumOrder === order || bytes[2] === bytes[3]);
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("decodePacket() rejects a length that disagrees with the bytes", () => {
  const bytes = encodePacket({ flag: 1, keyword: "tree", sid: 1, data: new Uint8Array(4) });
  assert.throws(() => decodePacket(bytes.subarray(0, 18)), {
    name: "HeaderError",
    message: "Invalid packet: header says length 20, but the packet has 18 bytes",
  });
  const longer = new Uint8Array(21);
  longer.set(bytes);
  assert.throws(() => decodePacket(longer), {
    message: "Invalid packet: header says length 20, but the packet has 21 bytes",
  });
});

Deno.test("decodePacket() names the expected checksum in both orders", () => {
  const bytes = encodePacket({ flag: 1, keyword: "sbmt", sid: 20200000, data: new Uint8Array() });
  bytes[2] = 0x12;
  bytes[3] = 0x34;
  assert.throws(() => decodePacket(bytes), {
    name: "ChecksumError",
    message: "Bad checksum: field 0x1234, expected 0xa3e3 (or 0xe3a3 in RFC 1071 byte order)",
  });
});

Deno.test("decodePacket() detects any single flipped data bit", () => {
  const nonEmpty = packetArbitrary.filter((p) => p.data.length > 0);
  fc.assert(
    fc.property(nonEmpty, fc.nat(), fc.integer({ min: 0, max: 7 }), (packet, at, bit) => {
      const bytes = encodePacket(packet);
      bytes[16 + (at % packet.data.length)]! ^= 1 << bit;
      let decoded;
      try {
        decoded = decodePacket(bytes);
      } catch (error) {
        assert.equal((error as Error).name, "ChecksumError");
        return;
      }
      // The course-order field can only pass now by matching RFC 1071 order.
      assert.equal(decoded.checksumOrder, "rfc1071");
    }),
    { numRuns: 300 },
  );
});

Deno.test("encodePacket() refuses data over 9984 bytes", () => {
  const data = new Uint8Array(MAX_DATA_SIZE + 1);
  assert.throws(() => encodePacket({ flag: 1, keyword: "tree", sid: 1, data }), {
    name: "HeaderError",
    message: "Invalid packet: length 10001 exceeds 10000",
  });
  assert.equal(
    encodePacket({ flag: 1, keyword: "tree", sid: 1, data: data.subarray(1) }).length,
    10_000,
  );
});

Deno.test("splitIntoPackets() makes full packets, flag 1 only on the last", () => {
  assert.deepEqual(splitIntoPackets(new Uint8Array(0), "tree", 1).map((p) => p.length), [16]);
  assert.deepEqual(
    splitIntoPackets(new Uint8Array(MAX_DATA_SIZE), "tree", 1).map((p) => p.length),
    [10_000],
  );
  const sizes = splitIntoPackets(new Uint8Array(MAX_DATA_SIZE + 1), "tree", 1).map((p) => p.length);
  assert.deepEqual(sizes, [10_000, 17]);
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 60_000 }),
      fc.integer({ min: 1, max: MAX_DATA_SIZE }),
      (size, maxData) => {
        const packets = splitIntoPackets(new Uint8Array(size), "tree", 1, maxData).map(
          decodePacket,
        );
        assert.equal(packets.reduce((sum, p) => sum + p.data.length, 0), size);
        assert.deepEqual(
          packets.map((p) => p.flag),
          packets.map((_, i) => (i === packets.length - 1 ? 1 : 0)),
        );
        for (const p of packets.slice(0, -1)) assert.equal(p.data.length, maxData);
      },
    ),
    { numRuns: 50 },
  );
});

Deno.test("splitIntoPackets() restarts the XOR key in every packet", () => {
  const plain = new TextEncoder().encode("abcde".repeat(4000)); // 20,000 bytes
  const packets = splitIntoPackets(
    plain,
    "tree",
    7,
    MAX_DATA_SIZE,
    (data) => xorCipher(data, "tree", data),
  )
    .map(decodePacket);
  assert.equal(packets.length, 3);
  let offset = 0;
  for (const packet of packets) {
    // Decrypting each packet on its own, key from offset 0, gives the plaintext back.
    assert.deepEqual(
      xorCipher(packet.data, "tree"),
      plain.subarray(offset, offset + packet.data.length),
    );
    offset += packet.data.length;
  }
  // 9,984 is a multiple of 4, so check with a key length that does not divide it.
  const odd = splitIntoPackets(
    plain,
    "tree",
    7,
    MAX_DATA_SIZE,
    (data) => xorCipher(data, "abc", data),
  )
    .map(decodePacket);
  assert.equal(odd[1]!.data[0], plain[MAX_DATA_SIZE]! ^ 0x61);
});
