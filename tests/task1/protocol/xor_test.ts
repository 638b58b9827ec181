import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import { xorCipher } from "../../../lib/task1/protocol/xor.ts";

Deno.test("xorCipher() repeats a multi-character key", () => {
  // "abcdef" ^ "key": 0x61^0x6b 0x62^0x65 0x63^0x79 0x64^0x6b 0x65^0x65 0x66^0x79
  const secret = xorCipher(new TextEncoder().encode("abcdef"), "key");
  assert.deepEqual([...secret], [0x0a, 0x07, 0x1a, 0x0f, 0x00, 0x1f]);
});

Deno.test("xorCipher() is its own inverse", () => {
  fc.assert(
    fc.property(fc.uint8Array(), fc.uint8Array({ minLength: 1, maxLength: 8 }), (data, key) => {
      assert.deepEqual(xorCipher(xorCipher(data, key), key), data);
    }),
  );
});

Deno.test("xorCipher() works in place and leaves the input alone otherwise", () => {
  const data = new Uint8Array([1, 2, 3]);
  const copy = xorCipher(data, new Uint8Array([0xff]));
  assert.deepEqual([...data], [1, 2, 3]);
  assert.deepEqual([...copy], [0xfe, 0xfd, 0xfc]);
  assert.equal(xorCipher(data, new Uint8Array([0xff]), data), data);
  assert.deepEqual([...data], [0xfe, 0xfd, 0xfc]);
});

Deno.test("xorCipher() rejects an empty key and a short output", () => {
  assert.throws(() => xorCipher(new Uint8Array(1), ""), { name: "RangeError" });
  assert.throws(() => xorCipher(new Uint8Array(2), "k", new Uint8Array(1)), { name: "RangeError" });
});

Deno.test("xorCipher() gives the byte-wise result at every alignment and key length", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 300 }),
      fc.uint8Array({ minLength: 1, maxLength: 6 }),
      fc.integer({ min: 0, max: 7 }),
      (data, key, offset) => {
        const backing = new Uint8Array(data.length + offset);
        backing.set(data, offset);
        const view = backing.subarray(offset);
        const expected = data.map((b, i) => b ^ key[i % key.length]!);
        assert.deepEqual(xorCipher(view, key), expected);
        assert.deepEqual(xorCipher(view, key, view), expected); // in place
      },
    ),
  );
});
