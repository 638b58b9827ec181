/**
 * Deterministic inputs for the bench suites, the same bytes on every run.
 *
 * @module
 */

/** `size` pseudo-random bytes (xorshift32 from `seed`). */
export function randomBytes(size: number, seed = 341): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}

/** F(n) by fast doubling with no limit, for sizes the library refuses. */
export function fibonacciUnlimited(n: number): bigint {
  let a = 0n;
  let b = 1n;
  for (let bit = 31 - Math.clz32(n); bit >= 0; bit--) {
    const twice = a * (2n * b - a);
    const next = a * a + b * b;
    if ((n >>> bit) & 1) {
      a = next;
      b = twice + next;
    } else {
      a = twice;
      b = next;
    }
  }
  return a;
}

/**
 * `size` bytes of random ASCII words (1 to 10 lowercase letters) separated
 * by a space, or a newline every 16th word, from a fixed seed: the same
 * bytes on every run. The last byte is a space.
 */
export function randomWords(size: number, seed = 341): Uint8Array {
  const bytes = new Uint8Array(size);
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  let i = 0;
  let words = 0;
  while (i < size) {
    const length = 1 + (next() % 10);
    for (let j = 0; j < length && i < size; j++) bytes[i++] = 0x61 + (next() % 26);
    if (i < size) bytes[i++] = ++words % 16 === 0 ? 0x0a : 0x20;
  }
  if (size > 0) bytes[size - 1] = 0x20;
  return bytes;
}
