import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import {
  answerBits,
  factorial,
  FACTORIAL_LIMIT,
  factorialFives,
  factorialTwos,
  fibonacci,
  FIBONACCI_LIMIT,
  fibonacciDouble,
  fibonacciFromSquares,
  fibonacciPair,
  oddFactorialParts,
  oddProduct,
} from "../../../lib/task2/compute/compute.ts";

function productRange(low: number, high: number): bigint {
  let result = 1n;
  for (let i = low; i <= high; i++) result *= BigInt(i);
  return result;
}

function naiveFibonacci(n: number): bigint {
  let a = 0n;
  let b = 1n;
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a;
}

function naiveFactorial(n: number): bigint {
  let result = 1n;
  for (let i = 2; i <= n; i++) result *= BigInt(i);
  return result;
}

Deno.test("fibonacci() gives the standard small values", () => {
  const expected = [0n, 1n, 1n, 2n, 3n, 5n, 8n, 13n, 21n, 34n, 55n];
  assert.deepEqual(expected.map((_, n) => fibonacci(n)), expected);
  assert.equal(fibonacci(20), 6765n);
  assert.equal(fibonacci(93), 12200160415121876738n);
});

Deno.test("fibonacci() agrees with the plain loop up to 2000", () => {
  for (let n = 0; n <= 2000; n += 37) assert.equal(fibonacci(n), naiveFibonacci(n), `n = ${n}`);
});

Deno.test("fibonacciPair(), fibonacciDouble() and fibonacciFromSquares() agree with the plain loop", () => {
  fc.assert(
    fc.property(fc.integer({ min: 4, max: 3000 }), (n) => {
      const k = Math.floor(n / 2);
      const [f1, f0] = fibonacciPair(k);
      assert.deepEqual([f1, f0], [naiveFibonacci(k), naiveFibonacci(k - 1)]);
      // The pool's two-worker walk: squares at k/2, one step to k, squares at k.
      const half = Math.floor(k / 2);
      const [h1, h0] = fibonacciPair(half);
      assert.deepEqual(fibonacciDouble(half, h1 * h1, h0 * h0, k % 2 === 1), [f1, f0]);
      assert.equal(fibonacciFromSquares(n, f1 * f1, f0 * f0), naiveFibonacci(n));
    }),
    { numRuns: 200 },
  );
  assert.throws(() => fibonacciPair(0), { name: "RangeError" });
});

Deno.test("fibonacci() has the known digit counts for large n", () => {
  // F(n) ~ phi^n / sqrt(5); F(1000) has 209 digits, F(10000) 2090, F(100000) 20899.
  assert.equal(fibonacci(1000).toString().length, 209);
  assert.equal(fibonacci(10000).toString().length, 2090);
  assert.equal(fibonacci(100_000).toString().length, 20899);
});

Deno.test("fibonacci() satisfies the doubling identities F(2n) = F(n)(2F(n+1) - F(n))", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 30_000 }), (n) => {
      const [a, b] = [fibonacci(n), fibonacci(n + 1)];
      assert.equal(fibonacci(2 * n), a * (2n * b - a));
      assert.equal(fibonacci(2 * n + 1), a * a + b * b);
    }),
    { numRuns: 40 },
  );
});

Deno.test("fibonacci() satisfies Cassini's identity and the recurrence at thousands of digits", () => {
  for (const n of [5000, 31415, 99998]) {
    const [a, b, c] = [fibonacci(n - 1), fibonacci(n), fibonacci(n + 1)];
    assert.equal(a + b, c);
    assert.equal(a * c - b * b, n % 2 === 0 ? 1n : -1n);
  }
});

Deno.test("fibonacci() repeats its last digit every 60 and last three digits every 1500", () => {
  // Pisano periods: pi(10) = 60, pi(1000) = 1500.
  assert.equal(fibonacci(60000 + 7) % 10n, 13n % 10n);
  assert.equal(fibonacci(1500 * 60 + 20) % 1000n, 6765n % 1000n);
});

Deno.test("fibonacci() rejects n over the limit, negative and fractional n", () => {
  assert.equal(FIBONACCI_LIMIT, 10_000_000);
  assert.throws(() => fibonacci(FIBONACCI_LIMIT + 1), {
    name: "RequestError",
    message: "FIBONACCI n must be at most 10000000, got 10000001",
  });
  assert.throws(() => fibonacci(501, 500), {
    name: "RequestError",
    message: "FIBONACCI n must be at most 500, got 501",
  });
  assert.equal(fibonacci(500, 500), fibonacci(500));
  assert.throws(() => fibonacci(-1), { name: "RequestError" });
  assert.throws(() => fibonacci(1.5), { name: "RequestError" });
});

Deno.test("factorial() gives 0! = 1! = 1 and the small values", () => {
  assert.equal(factorial(0), 1n);
  assert.equal(factorial(1), 1n);
  assert.equal(factorial(3), 6n);
  assert.equal(factorial(6), 720n);
  assert.equal(factorial(20), 2432902008176640000n);
});

Deno.test("factorial() agrees with the plain loop up to 600", () => {
  for (let n = 0; n <= 600; n += 13) assert.equal(factorial(n), naiveFactorial(n), `n = ${n}`);
});

Deno.test("factorial() has the known digit counts and trailing zeros for large n", () => {
  // 1000! has 2568 digits, 249 trailing zeros; 10000! has 35660 digits, 2499 zeros.
  for (const [n, digits, zeros] of [[1000, 2568, 249], [10_000, 35660, 2499]] as const) {
    const text = factorial(n).toString();
    assert.equal(text.length, digits);
    assert.equal(text.length - text.replace(/0+$/, "").length, zeros);
  }
});

Deno.test("factorial(n) divided by factorial(n - 1) is n", () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 3000 }), (n) => {
      assert.equal(factorial(n) / factorial(n - 1), BigInt(n));
      assert.equal(factorial(n) % factorial(n - 1), 0n);
    }),
    { numRuns: 40 },
  );
});

Deno.test("factorial() rejects n over the limit and negative n", () => {
  assert.equal(FACTORIAL_LIMIT, 1_000_000);
  assert.throws(() => factorial(FACTORIAL_LIMIT + 1), {
    name: "RequestError",
    message: "FACTORIAL n must be at most 1000000, got 1000001",
  });
  assert.throws(() => factorial(20_001, 20_000), {
    name: "RequestError",
    message: "FACTORIAL n must be at most 20000, got 20001",
  });
  assert.throws(() => factorial(-3), { name: "RequestError" });
});

Deno.test("factorial(n) / factorial(m) is the product m+1..n", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4000 }), fc.integer({ min: 0, max: 400 }), (m, k) => {
      assert.equal(factorial(m + k) / factorial(m), productRange(m + 1, m + k));
      assert.equal(factorial(m + k) % factorial(m), 0n);
    }),
    { numRuns: 40 },
  );
});

Deno.test("n! is oddProduct(n/2 + 1, n) * oddFactorialParts(n/2) * 2^factorialTwos(n)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 3000 }), (n) => {
      const m = Math.floor(n / 2);
      const [oddFactorial, oddPart] = oddFactorialParts(m);
      const product = oddProduct(m + 1, n) * oddFactorial * oddPart;
      assert.equal(product % 2n, 1n);
      assert.equal(product << BigInt(factorialTwos(n)), naiveFactorial(n), `n = ${n}`);
    }),
    { numRuns: 60 },
  );
});

Deno.test("n! / 10^factorialFives(n) is the fives-free odd parts * 2^(twos - fives)", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 3000 }), (n) => {
      const m = Math.floor(n / 2);
      const fives = factorialFives(n);
      const [oddFactorial, oddPart] = oddFactorialParts(m, true);
      const product = oddProduct(m + 1, n, true) * oddFactorial * oddPart;
      assert.notEqual(product % 5n, 0n);
      const text = naiveFactorial(n).toString();
      // factorialFives(n) is exactly the number of trailing zeros of n!.
      assert.equal(text.length - text.replace(/0+$/, "").length, fives, `n = ${n}`);
      const shifted = product << BigInt(factorialTwos(n) - fives);
      assert.equal(shifted.toString() + "0".repeat(fives), text, `n = ${n}`);
    }),
    { numRuns: 60 },
  );
});

Deno.test("oddProduct(low, high, true) divides the 5s out of each odd number", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: -1, max: 300 }), (low, k) => {
      let expected = 1n;
      for (let i = low; i <= low + k; i++) {
        let odd = i;
        if (odd % 2 === 0) continue;
        while (odd % 5 === 0) odd /= 5;
        expected *= BigInt(odd);
      }
      assert.equal(oddProduct(low, low + k, true), expected);
    }),
    { numRuns: 100 },
  );
});

Deno.test("oddProduct() multiplies exactly the odd numbers of the range", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: -1, max: 300 }), (low, k) => {
      let expected = 1n;
      for (let i = low; i <= low + k; i++) if (i % 2 === 1) expected *= BigInt(i);
      assert.equal(oddProduct(low, low + k), expected);
    }),
    { numRuns: 100 },
  );
});

Deno.test("answerBits() is within 2 bits of the answers' true size", () => {
  for (const n of [2, 3, 10, 93, 1000, 12_345, 40_000]) {
    for (
      const [kind, value] of [["fibonacci", fibonacci(n)], ["factorial", factorial(n)]] as const
    ) {
      assert.ok(Math.abs(answerBits(kind, n) - value.toString(2).length) <= 2, `${kind} ${n}`);
    }
  }
});
