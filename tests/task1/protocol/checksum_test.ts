import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import {
  internetChecksum,
  packetChecksum,
  verifyChecksum,
} from "../../../lib/task1/protocol/checksum.ts";

// The course's algorithm exactly as the full-mark Python solutions wrote it:
// little-endian pairs, fold, complement, then packed with '!H'. An
// independent oracle, deliberately not shared with the library.
function courseOracle(packet: Uint8Array): number {
  const bytes = [...packet];
  bytes[2] = 0;
  bytes[3] = 0;
  if (bytes.length % 2) bytes.push(0);
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += bytes[i]! + (bytes[i + 1]! << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

const hex = (text: string) => new Uint8Array(text.match(/../g)!.map((b) => parseInt(b, 16)));

Deno.test("packetChecksum() matches the worked example in protocol-facts.md", () => {
  // flag=1, checksum=0, keyword "sbmt", sid 20200000, length 16
  const header = hex("0001000073626d7401343a4000000010");
  assert.equal(packetChecksum(header), 0xa3e3);
  assert.equal(packetChecksum(header, "rfc1071"), 0xe3a3);
});

Deno.test("packetChecksum() matches hand-computed vectors", () => {
  // flag=0 "tree" sid 20200000 length 18 data "hi": words 7472+6565+0134+
  // 3a40+0012+6869 = 0x17dc6, folded 0x7dc7, complemented 0x8238.
  const data = hex("000000007472656501343a40000000126869");
  assert.equal(packetChecksum(data, "rfc1071"), 0x8238);
  assert.equal(packetChecksum(data), 0x3882);
  // Odd length: flag=1 "GOOD" sid 50 length 19 data "abc"; the last byte is
  // padded as 0x6300. 0001+474f+4f44+0032+0013+6162+6300 = 0x15b3b, folded
  // 0x5b3c, complemented 0xa4c3.
  const odd = hex("00010000474f4f440000003200000013616263");
  assert.equal(packetChecksum(odd, "rfc1071"), 0xa4c3);
  assert.equal(packetChecksum(odd), 0xc3a4);
  assert.equal(courseOracle(odd), 0xc3a4);
});

Deno.test("packetChecksum() ignores whatever the checksum field holds", () => {
  const header = hex("0001ffff73626d7401343a4000000010");
  assert.equal(packetChecksum(header), 0xa3e3);
});

Deno.test("internetChecksum() folds carries and pads odd lengths", () => {
  assert.equal(internetChecksum(hex("ffffffff")), 0x0000); // 0x1fffe folds to 0xffff
  assert.equal(internetChecksum(hex("12345678")), 0x9753); // ~0x68ac
  assert.equal(internetChecksum(hex("01")), 0xfeff); // padded to 0x0100
  assert.equal(internetChecksum(new Uint8Array(0)), 0xffff);
});

Deno.test("packetChecksum() equals the course's little-endian algorithm on any packet", () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 4, maxLength: 600 }), (packet) => {
      assert.equal(packetChecksum(packet), courseOracle(packet));
    }),
  );
});

Deno.test("verifyChecksum() accepts both byte orders and nothing else", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 4, maxLength: 600 }),
      fc.integer({ min: 0, max: 0xffff }),
      (packet, wrong) => {
        const view = new DataView(packet.buffer);
        const course = packetChecksum(packet);
        const standard = packetChecksum(packet, "rfc1071");
        view.setUint16(2, course);
        assert.equal(verifyChecksum(packet), "course");
        // A correct RFC 1071 checksum makes the whole packet sum to zero.
        view.setUint16(2, standard);
        assert.equal(internetChecksum(packet), 0);
        assert.equal(verifyChecksum(packet), course === standard ? "course" : "rfc1071");
        view.setUint16(2, wrong);
        const expected = wrong === course ? "course" : wrong === standard ? "rfc1071" : undefined;
        assert.equal(verifyChecksum(packet), expected);
      },
    ),
  );
});

Deno.test("packetChecksum() changes when any single bit outside the field flips", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 4, maxLength: 600 }),
      fc.nat(),
      fc.integer({ min: 0, max: 7 }),
      (packet, at, bit) => {
        const positions = [...packet.keys()].filter((i) => i !== 2 && i !== 3);
        const index = positions[at % positions.length]!;
        const before = packetChecksum(packet);
        packet[index]! ^= 1 << bit;
        assert.notEqual(packetChecksum(packet), before);
      },
    ),
  );
});

Deno.test("verifyChecksum() rejects a packet too short to hold the field", () => {
  assert.equal(verifyChecksum(new Uint8Array(3)), undefined);
});

Deno.test("packetChecksum() takes the word-wise path and the byte-wise path to the same value", () => {
  // Views at every alignment, so both the 32-bit fast path (offset 0 mod 4)
  // and the byte-wise fallback meet the oracle, with odd and even lengths.
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 4, maxLength: 2_000 }),
      fc.integer({ min: 0, max: 7 }),
      (packet, offset) => {
        const backing = new Uint8Array(packet.length + offset);
        backing.set(packet, offset);
        const view = backing.subarray(offset);
        assert.equal(packetChecksum(view), courseOracle(packet));
        assert.equal(internetChecksum(view), internetChecksum(new Uint8Array(packet)));
      },
    ),
  );
  // Carries that need several folds: all-0xff words.
  const ones = new Uint8Array(10_000).fill(0xff);
  assert.equal(packetChecksum(ones), courseOracle(ones));
});
