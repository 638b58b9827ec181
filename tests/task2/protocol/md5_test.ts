import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fc from "../../helpers/fast_check.ts";
import { md5 } from "../../../lib/task2/protocol/md5.ts";

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
const text = (value: string) => new TextEncoder().encode(value);

Deno.test("md5() gives RFC 1321's test-suite digests", () => {
  const suite: [string, string][] = [
    ["", "d41d8cd98f00b204e9800998ecf8427e"],
    ["a", "0cc175b9c0f1b6a831c399e269772661"],
    ["abc", "900150983cd24fb0d6963f7d28e17f72"],
    ["message digest", "f96b697d7cb7938d525a2f31aaf161d0"],
    ["abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"],
    [
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
      "d174ab98d277d9f5a5611c2c9f419d9f",
    ],
    ["1234567890".repeat(8), "57edf4a22be3c955ac49da2e2107b67a"],
  ];
  for (const [input, digest] of suite) assert.equal(hex(md5(text(input))), digest, input);
});

Deno.test("md5() agrees with node:crypto at every length around the block and padding edges", () => {
  for (let length = 0; length <= 200; length++) {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 131 + length) & 0xff);
    assert.equal(
      hex(md5(bytes)),
      createHash("md5").update(bytes).digest("hex"),
      `length ${length}`,
    );
  }
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
      assert.equal(hex(md5(bytes)), createHash("md5").update(bytes).digest("hex"));
    }),
    { numRuns: 200 },
  );
});
