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
  const keyBytes = typeof key === "string" ? keyOf(key) : key;
  const n = keyBytes.length;
  if (n === 0) throw new RangeError("XOR key must not be empty");
  if (out.length < data.length) {
    throw new RangeError(`XOR output holds ${out.length} bytes, needs ${data.length}`);
  }
  let i = 0;
  // Keys of 1, 2 or 4 bytes repeat every 4 bytes: XOR 32-bit words when
  // both arrays are 4-byte aligned (native order on both sides, so the
  // host's byte order does not matter).
  if (4 % n === 0 && ((data.byteOffset | out.byteOffset) & 3) === 0 && data.length >= 16) {
    const word = new Uint32Array(
      new Uint8Array([0, 1, 2, 3].map((j) => keyBytes[j % n]!)).buffer,
    )[0]!;
    const count = data.length >>> 2;
    const src = new Uint32Array(data.buffer, data.byteOffset, count);
    const dst = new Uint32Array(out.buffer, out.byteOffset, count);
    for (let w = 0; w < count; w++) dst[w] = src[w]! ^ word;
    i = count << 2;
  }
  for (; i < data.length; i++) out[i] = data[i]! ^ keyBytes[i % n]!;
  return out;
}

let lastKey = "";
let lastKeyBytes = new Uint8Array(0);

/** The UTF-8 bytes of `key`, remembered for the next call with the same key. */
function keyOf(key: string): Uint8Array {
  if (key !== lastKey) {
    lastKeyBytes = encoder.encode(key);
    lastKey = key;
  }
  return lastKeyBytes;
}
