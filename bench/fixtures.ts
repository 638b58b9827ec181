/**
 * Deterministic inputs for the benches and the soak, the same on every run,
 * and the obvious loops that compute the expected answers.
 *
 * @module
 */

/** A xorshift32 generator from `seed` (0 counts as 1): the next 32-bit state, never 0, on each call. */
export function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
}

/** A seeded random source in [0, 1) (xorshift32), so a run can be repeated. */
export function seededRandom(seed: number): () => number {
  const next = xorshift(seed);
  return () => next() / 4294967296;
}

/** `size` random bytes from `min` to `max` (0 to 255), from `random` (seed 341 unless given). */
export function randomBytes(
  size: number,
  random = seededRandom(341),
  min = 0,
  max = 255,
): Uint8Array {
  return Uint8Array.from({ length: size }, () => min + Math.floor(random() * (max - min + 1)));
}

/**
 * `size` bytes of random ASCII words (1 to 10 lowercase letters) separated
 * by a space, or a newline every 16th word, from a fixed seed: the same
 * bytes on every run. The last byte is a space.
 */
export function randomWords(size: number, seed = 341): Uint8Array {
  const bytes = new Uint8Array(size);
  const next = xorshift(seed);
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

/** F(n) by fast doubling with no limit, for sizes the library refuses. */
export function fibonacciUnlimited(n: number): bigint {
  let a = 0n;
  let b = 1n;
  for (let bit = 31 - Math.clz32(n); bit >= 0; bit--) {
    const twice = a * (2n * b - a);
    const next = a * a + b * b;
    [a, b] = (n >>> bit) & 1 ? [next, twice + next] : [twice, next];
  }
  return a;
}

/** F(n) by n additions (F(0) = 0, F(1) = 1). */
export function fibonacciByAdding(n: number): bigint {
  let [a, b] = [0n, 1n];
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}

/** n! by multiplying 2..n in order (0! = 1). */
export function factorialInOrder(n: number): bigint {
  let product = 1n;
  for (let i = 2n; i <= BigInt(n); i++) product *= i;
  return product;
}
