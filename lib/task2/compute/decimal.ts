/**
 * BigInt to decimal text by divide and conquer: `x = hi * 10^e + lo`, both
 * halves converted on their own and `lo` padded with zeros to `e` digits.
 * Below {@linkcode DECIMAL_THRESHOLD_BITS} V8's own `toString` does the work.
 *
 * The split divides `floor(x / 2^e)` by `5^e` (10^e = 5^e * 2^e; 30% fewer
 * bits) by Barrett reduction when {@linkcode prepareSplit} has cached `5^e`
 * and its reciprocal (two multiplications, while V8's `/` costs about
 * five), else by BigInt division. The reciprocal comes from a Newton step
 * (2.5x faster than dividing). Powers are cached per `e` (16, least
 * recently used dropped). The split comes in two halves,
 * {@linkcode estimateQuotient} and {@linkcode settleQuotient}, so that the
 * worker pool can start converting the high part while the low part is
 * still being worked out ({@linkcode joinDecimal} puts the texts together).
 *
 * Measured on Deno 2.9 / V8 15 (2026-12-05): V8's `toString` is already
 * subquadratic, but this recursion, with its powers and reciprocals cached,
 * is 12% faster for 1.1 million digits and 17% for 2.8 million (141 against
 * 160 ms, 453 against 545 ms). Its split points sit on one ladder (`base *
 * 2^k` digits) for numbers of every size, so the cache is made once per
 * thread: the first conversion that needs a rung pays for it (about 20%
 * more, once), every later one of any size gains. Below
 * {@linkcode DECIMAL_THRESHOLD_BITS} V8's `toString` converts the pieces.
 *
 * @module
 */

/**
 * Numbers of at most this many bits go straight to `BigInt.prototype.toString`:
 * 2^17 bits (about 39,000 digits); larger ones are split on the ladder of
 * cached powers first (see the module notes; 2^17 measured best of 2^17 to
 * 2^20).
 */
export const DECIMAL_THRESHOLD_BITS = 1 << 17;

const LOG10_2 = Math.log10(2);
const LOG2_10 = Math.log2(10);
const CACHE_LIMIT = 16;

interface Power {
  /**
   * 5^e. Since 10^e = 5^e * 2^e, x splits as floor(x / 2^e) divided by 5^e,
   * with the low e bits of x kept aside: 30% fewer bits than 10^e.
   */
  five: bigint;
  /** Bit length of `five`. */
  bits: number;
  /**
   * About 2^(bits + precision) / five, Barrett's reciprocal, once prepared:
   * it divides numbers below 2^(bits + precision) by `five`.
   */
  reciprocal?: bigint;
  /** The quotient bits `reciprocal` covers (at least `bits`). */
  precision?: number;
}

/** Split exponents the worker pool prepares (`prepareSplit`), 16 kept. */
const powers = new Map<number, Power>();
/** The exponents of `toDecimal`'s ladder, shared by numbers of every size. */
const rungs = new Map<number, Power>();
const RUNG_LIMIT = 32;

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

function cachedPower(e: number, cache = powers, limit = CACHE_LIMIT): Power {
  let entry = cache.get(e) ?? (cache === powers ? rungs : powers).get(e);
  if (entry === undefined) {
    // 5^e from a cached 5^(e/2) by one squaring when there is one.
    const half = e % 2 === 0 ? powers.get(e / 2) ?? rungs.get(e / 2) : undefined;
    const five = half !== undefined ? half.five * half.five : powerOf5(e);
    entry = { five, bits: bitLength(five) };
  }
  cache.delete(e); // re-inserted: the most recently used last
  if (cache.size >= limit) cache.delete(cache.keys().next().value!);
  cache.set(e, entry);
  return entry;
}

/**
 * 5^e by squaring and multiplying from the top bit of e: 40% faster than
 * `5n ** BigInt(e)` in V8 15 (8 against 13 ms for the split of F(10^7),
 * 24 against 40 ms for 10^6!'s).
 */
function powerOf5(e: number): bigint {
  let power = 1n;
  for (const bit of e.toString(2)) {
    power *= power;
    if (bit === "1") power *= 5n;
  }
  return power;
}

/**
 * Computes and caches `5^e` (10^e = 5^e * 2^e) and its Barrett
 * reciprocal, so that a later {@linkcode splitDecimal} by `e` of a number
 * of at most `digits` digits (default `2e`: halves of about equal size)
 * costs two multiplications instead of a division. More digits than `2e` (a high part longer than
 * the low one) need a more precise reciprocal, which costs more to make.
 * The worker pool runs it on one core while the other computes the number
 * to split.
 *
 * @example
 * ```ts
 * import { prepareSplit, splitDecimal } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * prepareSplit(3);
 * assert.deepEqual(splitDecimal(123456n, 3), [123n, 456n]);
 * prepareSplit(2, 7);
 * assert.deepEqual(splitDecimal(1234567n, 2), [12345n, 67n]);
 * ```
 */
export function prepareSplit(e: number, digits: number = 2 * e): void {
  checkExponent(e);
  if (!Number.isSafeInteger(digits) || digits < e) {
    throw new RangeError(`The digits to split must be a whole number >= e (${e}), got ${digits}`);
  }
  prepare(cachedPower(e), e, digits);
}

/** Gives `entry` (5^e) a reciprocal for numbers of up to `digits` digits. */
function prepare(entry: Power, e: number, digits: number): void {
  // x < 10^digits has a quotient below 10^(digits - e).
  const precision = Math.max(entry.bits, Math.ceil((digits - e) * LOG2_10) + 1);
  if (entry.precision !== undefined && entry.precision >= precision) return;
  entry.reciprocal = reciprocalOf(entry.five, entry.bits, precision);
  entry.precision = precision;
}

/**
 * About 2^(bits + precision) / divisor for a `bits`-bit `divisor` and
 * `precision >= bits`, within a few units (Barrett's correction absorbs
 * that): one Newton step from a reciprocal of half the precision,
 * r = 2 r0 - divisor * r0^2 / 2^(...), about 1.5 multiplications where
 * BigInt division costs about five. It is the reciprocal of `divisor *
 * 2^(precision - bits)`, a `precision`-bit number, without multiplying by
 * its zeros.
 */
function reciprocalOf(divisor: bigint, bits: number, precision: number): bigint {
  const pad = precision - bits; // divisor stands for divisor * 2^pad
  if (precision <= 1024) return (1n << BigInt(bits + precision)) / divisor;
  const half = Math.ceil(precision / 2) + 32; // guard bits
  const shift = precision - half;
  // ~ 2^(2 half) / ((divisor * 2^pad) >> shift), a reciprocal of `half` bits.
  const top = shift >= pad
    ? reciprocalOf(divisor >> BigInt(shift - pad), half, half)
    : reciprocalOf(divisor, bits, half);
  // Newton's step as top + top * residual, where the residual
  // 2^(bits + half) - divisor * top has only about bits - half + 32
  // significant bits; its lowest ones cannot change the result, so they
  // are cut (products of half size instead of a square and a full one).
  const cut = Math.max(0, half - pad - 2);
  const residual = ((1n << BigInt(bits + half)) - divisor * top) >> BigInt(cut);
  return (top << BigInt(shift)) + ((top * residual) >> BigInt(2 * half - pad - cut));
}

function checkExponent(e: number): void {
  if (!Number.isSafeInteger(e) || e < 1) {
    throw new RangeError(`The split exponent must be a whole number >= 1, got ${e}`);
  }
}

/**
 * Splits `x >= 0` into `[hi, lo]` with `x = hi * 10^e + lo` and
 * `0 <= lo < 10^e`. With a reciprocal from {@linkcode prepareSplit} that
 * covers `x` it divides by Barrett reduction, otherwise by BigInt division.
 * The same as {@linkcode estimateQuotient} then {@linkcode settleQuotient}.
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
  checkSplit(x, e);
  return splitWith(cachedPower(e), x, e);
}

function splitWith(entry: Power, x: bigint, e: number): [hi: bigint, lo: bigint] {
  const estimate = estimateWith(entry, x, e);
  const [delta, lo] = settleWith(entry, x, e, estimate);
  return [estimate + delta, lo];
}

function checkSplit(x: bigint, e: number): void {
  if (x < 0n) throw new RangeError("splitDecimal needs x >= 0, got a negative number");
  checkExponent(e);
}

/**
 * The first half of {@linkcode splitDecimal}: `floor(x / 10^e)` or a number
 * a few units off it, by one multiplication when {@linkcode prepareSplit}
 * has prepared `e` for numbers as long as `x` (exact, by division, when
 * not). The worker pool converts this estimate on one core while the other
 * settles it ({@linkcode settleQuotient}), then fixes the text with
 * {@linkcode addToDecimal}.
 *
 * @example
 * ```ts
 * import { estimateQuotient, prepareSplit } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(estimateQuotient(987654321n, 4), 98765n); // not prepared: exact
 * prepareSplit(4);
 * assert.ok(Math.abs(Number(estimateQuotient(987654321n, 4) - 98765n)) <= 4);
 * ```
 */
export function estimateQuotient(x: bigint, e: number): bigint {
  checkSplit(x, e);
  return estimateWith(cachedPower(e), x, e);
}

function estimateWith(entry: Power, x: bigint, e: number): bigint {
  const { five, bits, reciprocal, precision } = entry;
  // floor(x / 10^e) = floor(floor(x / 2^e) / 5^e).
  const y = x >> BigInt(e);
  if (y < five) return 0n;
  // y >= 2^(bits + precision), tested by a shift to a few bits rather than
  // by making that power (as long as y) on every split.
  if (reciprocal === undefined || y >> BigInt(bits + precision!) !== 0n) return y / five;
  // Barrett: at most a few units from the true quotient.
  return ((y >> BigInt(bits - 1)) * reciprocal) >> BigInt(precision! + 1);
}

/**
 * The second half of {@linkcode splitDecimal}: for an `estimate` of
 * `floor(x / 10^e)`, returns `[delta, lo]` with `estimate + delta` the true
 * quotient and `lo = x - (estimate + delta) * 10^e` in `0 <= lo < 10^e`.
 * One multiplication; an estimate far off costs a division more.
 *
 * @example
 * ```ts
 * import { settleQuotient } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(settleQuotient(12345n, 2, 121n), [2n, 45n]);
 * assert.deepEqual(settleQuotient(12345n, 2, 125n), [-2n, 45n]);
 * ```
 */
export function settleQuotient(
  x: bigint,
  e: number,
  estimate: bigint,
): [delta: bigint, lo: bigint] {
  checkSplit(x, e);
  return settleWith(cachedPower(e), x, e, estimate);
}

function settleWith(
  entry: Power,
  x: bigint,
  e: number,
  estimate: bigint,
): [delta: bigint, lo: bigint] {
  const { five } = entry;
  // x - q * 10^e = (floor(x / 2^e) - q * 5^e) * 2^e + (x mod 2^e).
  let rest = (x >> BigInt(e)) - estimate * five;
  let delta = 0n;
  if (rest < 0n || rest >= five) {
    // BigInt division truncates toward zero; a negative rest borrows one more.
    delta = rest / five;
    rest -= delta * five;
    if (rest < 0n) {
      delta--;
      rest += five;
    }
  }
  return [delta, (rest << BigInt(e)) + BigInt.asUintN(e, x)];
}

/**
 * The decimal text of `BigInt(text) + delta` without converting the whole
 * number: only the last digits change, plus the run of 9s a carry (or of
 * 0s a borrow) crosses. `text` is a decimal number without a sign or
 * leading zeros (only its ends are checked); the sum must be `>= 0`.
 *
 * @example
 * ```ts
 * import { addToDecimal } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(addToDecimal("1234", 2n), "1236");
 * assert.equal(addToDecimal("99999999999999999999", 1n), "100000000000000000000");
 * assert.equal(addToDecimal("100000000000000000000", -1n), "99999999999999999999");
 * ```
 */
export function addToDecimal(text: string, delta: bigint): string {
  if (!/^(0|[1-9]\d*)$/.test(text.length > 32 ? text.slice(0, 1) + text.slice(-31) : text)) {
    throw new RangeError("addToDecimal needs a decimal number without sign or leading zeros");
  }
  if (delta === 0n) return text;
  // The tail that takes delta: one digit longer than delta, so at most a
  // single carry or borrow leaves it.
  const width = Math.max(20, (delta < 0n ? -delta : delta).toString().length + 1);
  if (text.length <= width) {
    const sum = BigInt(text) + delta;
    if (sum < 0n) throw new RangeError("addToDecimal: the sum is negative");
    return String(sum);
  }
  const head = text.length - width;
  let tail = BigInt(text.slice(head)) + delta;
  const limit = 10n ** BigInt(width);
  if (tail >= 0n && tail < limit) return text.slice(0, head) + String(tail).padStart(width, "0");
  // A carry (tail >= limit) runs through 9s, a borrow (tail < 0) through 0s.
  const carry = tail >= 0n;
  tail = carry ? tail - limit : tail + limit;
  const crossed = carry ? "9" : "0";
  let at = head - 1;
  while (at >= 0 && text[at] === crossed) at--;
  // at < 0 only for a carry: text has no leading zeros to borrow from.
  const front = at < 0 ? "1" : text.slice(0, at) + String(Number(text[at]) + (carry ? 1 : -1));
  const run = (carry ? "0" : "9").repeat(head - 1 - at);
  // "1000..." - 1 leaves a leading 0 in front.
  return (front === "0" ? "" : front) + run + String(tail).padStart(width, "0");
}

/**
 * The decimal text of `(BigInt(high) + delta) * 10^low.length + BigInt(low)`:
 * a number split at `10^e` and converted in two parts, the high part from
 * an estimate of its value that was `delta` off ({@linkcode settleQuotient})
 * and the low part padded to `e` digits. A high part of 0 leaves no
 * leading zeros.
 *
 * @example
 * ```ts
 * import { joinDecimal } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(joinDecimal("122", 1n, "045"), "123045");
 * assert.equal(joinDecimal("1", -1n, "045"), "45");
 * ```
 */
export function joinDecimal(high: string, delta: bigint, low: string): string {
  const top = addToDecimal(high, delta);
  if (top !== "0") return top + low;
  const start = low.search(/[1-9]/);
  return start < 0 ? "0" : low.slice(start);
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
 * The exponent the worker pool splits a `bits`-bit answer at: the low part
 * gets `share` of the digits ({@linkcode halfDigits} for one half), rounded
 * up to 10 significant bits (at most 1/512 more), so that answers of
 * nearby sizes (F(n) and F(n - 1000)) usually share one cached `10^e` and
 * reciprocal instead of each computing its own.
 *
 * @example
 * ```ts
 * import { halfDigits, splitExponent } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(splitExponent(64), halfDigits(64)); // small: exact half
 * assert.equal(splitExponent(6_942_000), splitExponent(6_942_700));
 * assert.ok(splitExponent(6_942_000) >= halfDigits(6_942_000));
 * assert.ok(splitExponent(6_942_000, 0.47) < halfDigits(6_942_000));
 * ```
 */
export function splitExponent(bits: number, share = 0.5): number {
  if (!(share > 0 && share <= 0.5)) {
    throw new RangeError(`The low part's share must be in (0, 0.5], got ${share}`);
  }
  const e = share === 0.5
    ? halfDigits(bits)
    : Math.max(1, Math.ceil(decimalDigitsBound(bits) * share));
  const shift = e.toString(2).length - 10;
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
  // The ladder's powers and reciprocals stay cached for numbers of any size.
  // A short quotient (a small high part, at the top) gets a far cheaper
  // reciprocal than the one for e + 2 digits that splits below the top
  // need: for its length rounded up to a quarter of e, so a rung computes
  // at most five.
  const rung = cachedPower(e, rungs, RUNG_LIMIT);
  const quarter = Math.ceil(e / 4);
  prepare(rung, e, e + Math.min(e + 2, Math.ceil((digits + 2 - e) / quarter) * quarter));
  const [hi, lo] = splitWith(rung, x, e);
  convert(hi, width - e, thresholdBits, parts);
  convert(lo, e, thresholdBits, parts);
}
