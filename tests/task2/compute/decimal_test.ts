import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import {
  bitLength,
  decimalDigitsBound,
  halfDigits,
  prepareSplit,
  splitDecimal,
  splitExponent,
  toDecimal,
} from "../../../lib/task2/compute/decimal.ts";

/** Numbers with the shapes that break conversions: near powers of ten, zero runs. */
const awkward = fc.oneof(
  fc.bigInt({ min: 0n, max: 1n << 3000n }),
  fc.integer({ min: 1, max: 900 }).chain((k) =>
    fc.constantFrom(10n ** BigInt(k), 10n ** BigInt(k) - 1n, 10n ** BigInt(k) + 1n)
  ),
  // hi * 10^k + lo with a tiny lo: long runs of zeros wherever a split lands.
  fc.tuple(
    fc.bigInt({ min: 1n, max: 1n << 1500n }),
    fc.integer({ min: 1, max: 600 }),
    fc.bigInt({ min: 0n, max: 999n }),
  ).map(([hi, k, lo]) => hi * 10n ** BigInt(k) + lo),
);

Deno.test("toDecimal() agrees with BigInt toString at every threshold", () => {
  fc.assert(
    fc.property(awkward, fc.constantFrom(64, 100, 256, 1000), (x, threshold) => {
      assert.equal(toDecimal(x, 0, threshold), x.toString());
    }),
    { numRuns: 300 },
  );
});

Deno.test("toDecimal() pads to the width with zeros and never cuts", () => {
  fc.assert(
    fc.property(awkward, fc.integer({ min: 0, max: 1200 }), (x, width) => {
      const text = x.toString();
      assert.equal(toDecimal(x, width, 64), text.padStart(width, "0"));
    }),
    { numRuns: 100 },
  );
  assert.equal(toDecimal(0n), "0");
  assert.equal(toDecimal(0n, 3), "000");
  assert.throws(() => toDecimal(-1n), { name: "RangeError" });
});

Deno.test("splitDecimal() gives x = hi * 10^e + lo with 0 <= lo < 10^e, prepared or not", () => {
  fc.assert(
    fc.property(awkward, fc.integer({ min: 1, max: 700 }), fc.boolean(), (x, e, prepared) => {
      if (prepared) prepareSplit(e);
      const [hi, lo] = splitDecimal(x, e);
      const power = 10n ** BigInt(e);
      assert.equal(hi * power + lo, x);
      assert.ok(lo >= 0n && lo < power);
    }),
    { numRuns: 300 },
  );
});

Deno.test("splitDecimal() rejects a negative x and a bad exponent", () => {
  assert.throws(() => splitDecimal(-5n, 2), { name: "RangeError" });
  assert.throws(() => splitDecimal(5n, 0), {
    name: "RangeError",
    message: "The split exponent must be a whole number >= 1, got 0",
  });
  assert.throws(() => prepareSplit(1.5), { name: "RangeError" });
});

Deno.test("bitLength() and decimalDigitsBound() match the binary and decimal text", () => {
  fc.assert(
    fc.property(awkward, (x) => {
      const bits = bitLength(x);
      assert.equal(bits, x === 0n ? 0 : x.toString(2).length);
      const digits = x.toString().length;
      const bound = decimalDigitsBound(bits);
      assert.ok(bound === digits || bound === digits + 1, `${bound} vs ${digits}`);
      assert.ok(x < 10n ** BigInt(2 * halfDigits(bits)));
    }),
    { numRuns: 200 },
  );
});

Deno.test("splitExponent() is at most 1/64 above halfDigits() and shared by nearby sizes", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1 << 27 }), (bits) => {
      const half = halfDigits(bits);
      const e = splitExponent(bits);
      assert.ok(e >= half, `${e} < ${half}`);
      assert.ok(e <= half + Math.ceil(half / 64), `${e} too far above ${half}`);
      // 7 significant bits: e has at most 7 binary digits before its trailing zeros.
      assert.ok(e.toString(2).replace(/0+$/, "").length <= 7, `${e} has more than 7 bits`);
    }),
    { numRuns: 500 },
  );
  // F(10^7) and F(10^7 - 1000): one exponent, hence one cached 10^e.
  assert.equal(splitExponent(6_942_419), splitExponent(6_941_725));
});
