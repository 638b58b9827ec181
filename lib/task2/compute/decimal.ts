/**
 * BigInt to decimal text by divide and conquer: `x = hi * 10^e + lo`, both
 * halves converted on their own and `lo` padded with zeros to `e` digits.
 * Below {@linkcode DECIMAL_THRESHOLD_BITS} V8's own `toString` does the work.
 *
 * The split divides by Barrett reduction when {@linkcode prepareSplit} has
 * cached `10^e` and its reciprocal (two multiplications, while V8's `/`
 * costs about five), else by BigInt division. The reciprocal comes from a
 * Newton step (2.5x faster than dividing). Powers are cached per `e` (16,
 * least recently used dropped).
 *
 * Measured (bench/micro_bench.ts, Deno 2.9 / V8 15): V8's `toString` is
 * already subquadratic, and on one thread it beats this recursion at every
 * size up to 10^6! (18.5 Mbit) once the powers and reciprocals have to be
 * computed; warm caches only tie. So the threshold sits above our largest
 * answers and the recursion's real use is the single top split the worker
 * pool makes to convert the two halves on two cores (`splitDecimal`).
 *
 * @module
 */

/**
 * Numbers of at most this many bits go straight to `BigInt.prototype.toString`:
 * 2^26 bits (about 20 million digits), above every answer within the default
 * limits, because V8's conversion wins below it (see the module notes).
 */
export const DECIMAL_THRESHOLD_BITS = 1 << 26;

const LOG10_2 = Math.log10(2);
const CACHE_LIMIT = 16;

interface Power {
  /** 10^e. */
  power: bigint;
  /** Bit length of `power`. */
  bits: number;
  /** floor(2^(2 * bits) / power), Barrett's reciprocal, once prepared. */
  reciprocal?: bigint;
}

const powers = new Map<number, Power>();

/**
 * The number of bits of `x >= 0` (0 for 0).
 *
 * @example
 * ```ts
 * import { bitLength } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(bitLength(255n), 8);
 * assert.equal(bitLength(256n), 9);
 * assert.equal(bitLength(0n), 0);
 * ```
 */
export function bitLength(x: bigint): number {
  if (x === 0n) return 0;
  const hex = x.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0]!, 16)));
}

function powerOfTen(e: number): Power {
  let entry = powers.get(e);
  if (entry !== undefined) {
    powers.delete(e); // re-inserted below: most recently used last
  } else {
    // 10^e from a cached 10^(e/2) by one squaring when there is one.
    const half = e % 2 === 0 ? powers.get(e / 2) : undefined;
    const power = half !== undefined ? half.power * half.power : 10n ** BigInt(e);
    entry = { power, bits: bitLength(power) };
    if (powers.size >= CACHE_LIMIT) powers.delete(powers.keys().next().value!);
  }
  powers.set(e, entry);
  return entry;
}

/**
 * Computes and caches `10^e` and its Barrett reciprocal, so that a later
 * {@linkcode splitDecimal} by `e` costs two multiplications instead of a
 * division. The worker pool runs it on one core while the other computes
 * the number to split.
 *
 * @example
 * ```ts
 * import { prepareSplit, splitDecimal } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * prepareSplit(3);
 * assert.deepEqual(splitDecimal(123456n, 3), [123n, 456n]);
 * ```
 */
export function prepareSplit(e: number): void {
  checkExponent(e);
  const entry = powerOfTen(e);
  entry.reciprocal ??= reciprocalOf(entry.power, entry.bits);
}

/**
 * About 2^(2 * bits) / power for a `bits`-bit `power`, within a few units
 * (Barrett's loops absorb that): one Newton step from a reciprocal of the
 * top half, r = 2 r0 - power * r0^2 / 2^(2 * bits), about 1.5 multiplications
 * where BigInt division costs about five.
 */
function reciprocalOf(power: bigint, bits: number): bigint {
  if (bits <= 1024) return (1n << BigInt(2 * bits)) / power;
  const half = Math.ceil(bits / 2) + 32; // guard bits
  const shift = bits - half;
  const top = reciprocalOf(power >> BigInt(shift), half); // ~ 2^(2 half) / (power >> shift)
  return (top << BigInt(shift + 1)) - ((power * (top * top)) >> BigInt(2 * half));
}

function checkExponent(e: number): void {
  if (!Number.isSafeInteger(e) || e < 1) {
    throw new RangeError(`The split exponent must be a whole number >= 1, got ${e}`);
  }
}

/**
 * Splits `x >= 0` into `[hi, lo]` with `x = hi * 10^e + lo` and
 * `0 <= lo < 10^e`. With a reciprocal from {@linkcode prepareSplit} and
 * `x < 2^(2 * bits(10^e))` it divides by Barrett reduction, otherwise by
 * BigInt division.
 *
 * @example
 * ```ts
 * import { splitDecimal } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(splitDecimal(12345678n, 4), [1234n, 5678n]);
 * assert.deepEqual(splitDecimal(10000n, 4), [1n, 0n]);
 * ```
 */
export function splitDecimal(x: bigint, e: number): [hi: bigint, lo: bigint] {
  if (x < 0n) throw new RangeError("splitDecimal needs x >= 0, got a negative number");
  checkExponent(e);
  const { power, bits, reciprocal } = powerOfTen(e);
  if (x < power) return [0n, x];
  if (reciprocal === undefined || x >= 1n << BigInt(2 * bits)) {
    const hi = x / power;
    return [hi, x - hi * power];
  }
  // Barrett: the estimate is at most 2 below the true quotient.
  let hi = ((x >> BigInt(bits - 1)) * reciprocal) >> BigInt(bits + 1);
  let lo = x - hi * power;
  while (lo >= power) {
    hi++;
    lo -= power;
  }
  while (lo < 0n) {
    hi--;
    lo += power;
  }
  return [hi, lo];
}

/**
 * At most how many decimal digits a number of `bits` bits has (exact or one
 * more than the truth).
 *
 * @example
 * ```ts
 * import { decimalDigitsBound } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(decimalDigitsBound(10), 4); // 1023 has 4 digits
 * assert.equal(decimalDigitsBound(0), 1);
 * ```
 */
export function decimalDigitsBound(bits: number): number {
  return Math.floor(bits * LOG10_2) + 1;
}

/**
 * The exponent `e` that splits a `bits`-bit number into two halves of about
 * equal digits with `x < 10^(2e)`, as {@linkcode splitDecimal} wants.
 *
 * @example
 * ```ts
 * import { halfDigits } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(halfDigits(64), 10); // 2^64 - 1 has 20 digits
 * ```
 */
export function halfDigits(bits: number): number {
  return Math.max(1, Math.ceil(decimalDigitsBound(bits) / 2));
}

/**
 * The exponent the worker pool splits a `bits`-bit answer at:
 * {@linkcode halfDigits} rounded up to 7 significant bits (at most 1/64
 * more), so that answers of nearby sizes (F(n) and F(n - 1000)) share one
 * cached `10^e` and reciprocal instead of each computing its own; the low
 * half gets at most about 3% more digits than the high half.
 *
 * @example
 * ```ts
 * import { halfDigits, splitExponent } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(splitExponent(64), halfDigits(64)); // small: exact half
 * assert.equal(splitExponent(6_942_000), splitExponent(6_942_700));
 * assert.ok(splitExponent(6_942_000) >= halfDigits(6_942_000));
 * ```
 */
export function splitExponent(bits: number): number {
  const e = halfDigits(bits);
  const shift = e.toString(2).length - 7;
  if (shift <= 0) return e;
  const unit = 2 ** shift;
  return Math.ceil(e / unit) * unit;
}

/**
 * `x >= 0` in decimal, left-padded with zeros to `width` digits (a wider
 * number is not cut).
 *
 * @example
 * ```ts
 * import { toDecimal } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(toDecimal(42n), "42");
 * assert.equal(toDecimal(42n, 5), "00042");
 * assert.equal(toDecimal(10n ** 400n), "1" + "0".repeat(400));
 * ```
 */
export function toDecimal(
  x: bigint,
  width = 0,
  thresholdBits: number = DECIMAL_THRESHOLD_BITS,
): string {
  if (x < 0n) throw new RangeError("toDecimal needs x >= 0, got a negative number");
  const parts: string[] = [];
  convert(x, width, Math.max(64, thresholdBits), parts);
  return parts.join("");
}

function convert(x: bigint, width: number, thresholdBits: number, parts: string[]): void {
  const bits = bitLength(x);
  if (bits <= thresholdBits) {
    const text = x.toString();
    parts.push(text.length < width ? text.padStart(width, "0") : text);
    return;
  }
  // Split points on a ladder base * 2^k, so that numbers of any size share
  // a few cached powers: the smallest with 2e >= digits(x) - 1 (the digit
  // bound may be one too many; then hi gets one more digit than e). Every
  // step shrinks both halves, since e < digits(x).
  const digits = decimalDigitsBound(bits) - 1;
  let e = Math.max(1, Math.floor(decimalDigitsBound(thresholdBits) / 2));
  while (2 * e < digits) e *= 2;
  const [hi, lo] = splitDecimal(x, e);
  convert(hi, width - e, thresholdBits, parts);
  convert(lo, e, thresholdBits, parts);
}
