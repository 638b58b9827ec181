import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import {
  addToDecimal,
  bitLength,
  decimalDigitsBound,
  estimateQuotient,
  halfDigits,
  joinDecimal,
  prepareSplit,
  settleQuotient,
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

Deno.test("splitDecimal() splits numbers with a longer high part once prepared for their digits", () => {
  fc.assert(
    fc.property(awkward, fc.integer({ min: 1, max: 700 }), (x, e) => {
      const digits = Math.max(e, x.toString().length);
      prepareSplit(e, digits);
      const power = 10n ** BigInt(e);
      const quotient = x / power;
      // The estimate is one multiplication (Barrett) and lands within a few units.
      const estimate = estimateQuotient(x, e);
      assert.ok(
        estimate >= quotient - 4n && estimate <= quotient + 4n,
        `${estimate} vs ${quotient}`,
      );
      assert.deepEqual(splitDecimal(x, e), [quotient, x - quotient * power]);
    }),
    { numRuns: 300 },
  );
});

Deno.test("settleQuotient() corrects any estimate, however far off", () => {
  fc.assert(
    fc.property(
      awkward,
      fc.integer({ min: 1, max: 400 }),
      fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }),
      (x, e, error) => {
        const power = 10n ** BigInt(e);
        const quotient = x / power;
        const [delta, lo] = settleQuotient(x, e, quotient + error);
        assert.equal(delta, -error);
        assert.equal(lo, x - quotient * power);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("addToDecimal() and joinDecimal() agree with BigInt arithmetic across carries and borrows", () => {
  // Runs of 9s and 0s next to the last digits, where a carry or borrow travels.
  const digitsText = fc.array(
    fc.oneof(
      fc.constantFrom("9".repeat(25), "0".repeat(25), "1", "9", "0"),
      fc.stringMatching(/^\d{1,8}$/),
    ),
    { maxLength: 8 },
  ).map((parts) => BigInt("0" + parts.join("")).toString());
  fc.assert(
    fc.property(digitsText, fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), (text, delta) => {
      const sum = BigInt(text) + delta;
      if (sum < 0n) {
        assert.throws(() => addToDecimal(text, delta), { name: "RangeError" });
        return;
      }
      assert.equal(addToDecimal(text, delta), sum.toString());
    }),
    { numRuns: 1000 },
  );
  fc.assert(
    fc.property(
      awkward,
      fc.integer({ min: 1, max: 300 }),
      fc.bigInt({ min: -3n, max: 3n }),
      (x, e, d) => {
        const power = 10n ** BigInt(e);
        const [hi, lo] = [x / power, x % power];
        if (hi - d < 0n) return;
        const low = lo.toString().padStart(e, "0");
        assert.equal(joinDecimal((hi - d).toString(), d, low), x.toString());
      },
    ),
    { numRuns: 300 },
  );
  assert.throws(() => addToDecimal("012", 1n), { name: "RangeError" });
  assert.throws(() => addToDecimal("1" + "0".repeat(40), -(10n ** 41n)), { name: "RangeError" });
});

Deno.test("splitDecimal() rejects a negative x and a bad exponent", () => {
  assert.throws(() => splitDecimal(-5n, 2), { name: "RangeError" });
  assert.throws(() => splitDecimal(5n, 0), {
    name: "RangeError",
    message: "The split exponent must be a whole number >= 1, got 0",
  });
  assert.throws(() => prepareSplit(1.5), { name: "RangeError" });
  assert.throws(() => prepareSplit(5, 4), { name: "RangeError" });
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

Deno.test("splitExponent() is at most 1/512 above its share of the digits and shared by nearby sizes", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1 << 27 }),
      fc.constantFrom(0.5, 0.47, 0.3),
      (bits, share) => {
        const least = share === 0.5
          ? halfDigits(bits)
          : Math.max(1, Math.ceil(decimalDigitsBound(bits) * share));
        const e = splitExponent(bits, share);
        assert.ok(e >= least, `${e} < ${least}`);
        assert.ok(e <= least + Math.ceil(least / 512), `${e} too far above ${least}`);
        // 10 significant bits: at most 10 binary digits before its trailing zeros.
        assert.ok(e.toString(2).replace(/0+$/, "").length <= 10, `${e} has more than 10 bits`);
      },
    ),
    { numRuns: 500 },
  );
  assert.throws(() => splitExponent(100, 0.6), { name: "RangeError" });
  // F(10^7) and F(10^7 - 1000): one exponent, hence one cached 10^e.
  assert.equal(splitExponent(6_942_419), splitExponent(6_941_725));
});
