/**
 * The multi-character XOR cipher: byte `i` of the data is XORed with byte
 * `i mod keyLength` of the key. Encryption and decryption are the same
 * operation. In Task 1 the key restarts at offset 0 of every packet's data.
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * XORs `data` with the repeating `key` (a string is taken as its UTF-8
 * bytes) into `out`, a new array by default; `out` may be `data` itself to
 * work in place. Returns `out`.
 *
 * @example
 * ```ts
 * import { xorCipher } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const plain = new TextEncoder().encode("hello");
 * const secret = xorCipher(plain, "tree");
 * assert.deepEqual([...secret], [0x1c, 0x17, 0x09, 0x09, 0x1b]);
 * assert.deepEqual(xorCipher(secret, "tree"), plain);
 * ```
 */
export function xorCipher(
  data: Uint8Array,
  key: Uint8Array | string,
  out: Uint8Array = new Uint8Array(data.length),
): Uint8Array {
  const keyBytes = typeof key === "string" ? encoder.encode(key) : key;
  if (keyBytes.length === 0) throw new RangeError("XOR key must not be empty");
  if (out.length < data.length) {
    throw new RangeError(`XOR output holds ${out.length} bytes, needs ${data.length}`);
  }
  const n = keyBytes.length;
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ keyBytes[i % n]!;
  return out;
}
