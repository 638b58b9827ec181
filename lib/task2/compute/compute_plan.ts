/**
 * How one pool job runs on its one or two workers (the plans described in
 * compute_pool.ts), and the one-call-at-a-time messaging with a worker.
 * Internal to the pool.
 *
 * @module
 */

import { answerBits, factorialFives, factorialTwos } from "./compute.ts";
import type { StepValue, WorkerStep } from "./compute_worker.ts";
import { joinDecimal, splitExponent } from "./decimal.ts";
import type { PendingCalls } from "../../net/worker_rpc.ts";

const LOG2_10 = Math.log2(10);

/**
 * The low part's share of the digits when an answer is split for two
 * workers. The high part is converted from the quotient's estimate while
 * the low part still waits for the remainder (one multiplication, about
 * 14% of converting a half), so the high part gets more digits and both
 * end together.
 */
const LOW_SHARE = 0.47;

/** A worker of the pool and the one call it is running, if any. */
export interface Slot {
  worker: Worker;
  /** The split exponents this worker has prepared lately (its cache holds 16). */
  prepared: number[];
  /**
   * Whether it was the splitter (the low part's converter) in its last
   * two-worker job: a cold job keeps the roles, so that each worker's
   * cached decimal ladder already fits the part it converts.
   */
  splitLast?: boolean;
  /** Set when the worker is terminated: calls on it fail at once. */
  dead?: Error;
  /** Its calls in flight (one at a time), by id. */
  calls: PendingCalls<StepValue>;
}

/** Sends `step` to the worker of `slot`; resolves its reply. */
function call(slot: Slot, step: WorkerStep): Promise<StepValue> {
  if (slot.dead !== undefined) return Promise.reject(slot.dead);
  return slot.calls.start((id) => slot.worker.postMessage({ id, step }));
}

/** Runs `job` on its one or two workers. */
export async function execute(
  job: { kind: "fibonacci" | "factorial"; n: number },
  slots: Slot[],
): Promise<string> {
  if (slots.length === 1) {
    return await call(slots[0]!, { op: "answer", kind: job.kind, n: job.n }) as string;
  }
  // n! is built without its trailing zeros (10^fives), which are appended
  // as text: 4.5% fewer digits to convert for 10^6!.
  const fives = job.kind === "factorial" ? factorialFives(job.n) : 0;
  const e = splitExponent(answerBits(job.kind, job.n) - Math.floor(fives * LOG2_10), LOW_SHARE);
  // The reciprocal covers every answer that splits at this e (e was rounded
  // up from LOW_SHARE of the digits), so nearby sizes share it.
  const digits = Math.ceil(e / LOW_SHARE) + 2;
  // The splitter prepares 5^e (10^e / 2^e) and its reciprocal while the other computes;
  // a worker that has prepared this e before (same n again) is the splitter.
  const warm = slots.findIndex((slot) => slot.prepared.includes(e));
  const splitter = slots[warm] ?? slots.find((slot) => slot.splitLast) ?? slots[0]!;
  const other = slots.find((slot) => slot !== splitter)!;
  [splitter.splitLast, other.splitLast] = [true, false];
  const prepare = () =>
    call(splitter, { op: "prepare", e, digits }).then(() => {
      splitter.prepared = [...splitter.prepared.filter((seen) => seen !== e), e].slice(-16);
    });
  let x: bigint;
  if (job.kind === "fibonacci" && warm >= 0) {
    x = await prepare().then(() => fibonacciOnTwo(job.n, splitter, other));
  } else if (job.kind === "fibonacci") {
    [x] = await Promise.all([
      call(other, { op: "fibonacci", n: job.n }) as Promise<bigint>,
      prepare(),
    ]);
  } else {
    x = await factorialOnTwo(job.n, fives, splitter, other, warm >= 0, prepare);
  }
  // The other worker converts the quotient's estimate while the splitter
  // settles it and converts the rest; the estimate's text is then fixed.
  const estimate = await call(splitter, { op: "quotient", x, e }) as bigint;
  const [high, [delta, low]] = await Promise.all([
    call(other, { op: "decimal", x: estimate, width: 0 }) as Promise<string>,
    call(splitter, { op: "lowDecimal", x, e, estimate }) as Promise<[bigint, string]>,
  ]);
  return joinDecimal(high, delta, low) + "0".repeat(fives);
}

/**
 * F(n), n >= 4, on two workers when the splitter has nothing to prepare:
 * both walk up to j = n/4, each squares one of F(j), F(j-1); both take the
 * step to k = n/2 from the two squares, each squares one of F(k), F(k-1);
 * the splitter puts F(n) together (`fibonacciFromSquares`). The last two
 * steps' squarings run side by side.
 */
async function fibonacciOnTwo(n: number, splitter: Slot, other: Slot): Promise<bigint> {
  const k = Math.floor(n / 2);
  const square = (slot: Slot, m: number, which: 0 | 1, squares?: [bigint, bigint]) =>
    call(slot, { op: "fibonacciSquare", m, which, squares }) as Promise<bigint>;
  const half = Math.floor(k / 2);
  const first = await Promise.all([square(splitter, half, 0), square(other, half, 1)]);
  const last = await Promise.all([square(splitter, k, 0, first), square(other, k, 1, first)]);
  return await call(splitter, { op: "fibonacciJoin", n, squares: last }) as bigint;
}

/**
 * n! / 10^fives on two workers, each odd number without its 5s; resolves on
 * the splitter's side with 10^e prepared. With m = n/2 and k = m/2:
 * n! / 10^fives = top * oddPart(m!) * oddFactorial(m) * 2^(twos - fives),
 * top = oddProduct(m + 1, n), oddFactorial(m) = oddFactorial(k) * mid,
 * mid = oddProduct(k + 1, m), oddPart(m!) = oddFactorial(m) * oddPart(k!).
 */
async function factorialOnTwo(
  n: number,
  fives: number,
  splitter: Slot,
  other: Slot,
  warm: boolean,
  prepare: () => Promise<void>,
): Promise<bigint> {
  const m = Math.floor(n / 2);
  const shift = factorialTwos(n) - fives;
  const oddProduct = (slot: Slot, low: number, high: number) =>
    call(slot, { op: "oddProduct", low, high, withoutFives: true }) as Promise<bigint>;
  const top = oddProduct(splitter, m + 1, n);
  if (!warm) {
    // Cold: the splitter prepares the split (5^e and its reciprocal) after
    // the top product, the quicker half, while the other multiplies
    // everything; the two then have about as much to do.
    const parts = call(other, { op: "oddFactorialParts", m, withoutFives: true }) as Promise<
      [bigint, bigint]
    >;
    const prepared = top.then(() => prepare());
    const product = Promise.all([top, parts]).then(([top, parts]) =>
      call(other, { op: "multiply", factors: [top, ...parts], shift })
    ) as Promise<bigint>;
    const [x] = await Promise.all([product, prepared]);
    return x;
  }
  // Warm: the splitter, idle after the top product, shares the multiplying
  // and keeps the product, so it need not travel back for the split.
  // Every promise is joined at once (Promise.all), so none rejects unhandled.
  const k = Math.floor(m / 2);
  const partsK = call(other, { op: "oddFactorialParts", m: k, withoutFives: true }) as Promise<
    [bigint, bigint]
  >;
  const multiply = (slot: Slot, factors: bigint[], by = 0) =>
    call(slot, { op: "multiply", factors, shift: by }) as Promise<bigint>;
  // oddFactorial(m)^2 on the other worker.
  const square = partsK.then(async ([oddFactorialK]) => {
    const mid = await oddProduct(other, k + 1, m);
    const oddFactorialM = await multiply(other, [oddFactorialK, mid]);
    return await multiply(other, [oddFactorialM, oddFactorialM]);
  });
  // top * oddPart(k!) on the splitter.
  const topPart = Promise.all([top, partsK]).then(([top, [, oddPartK]]) =>
    multiply(splitter, [top, oddPartK])
  );
  // The last, largest product on both workers, a slice of `b` each; the
  // splitter joins the halves.
  const product = Promise.all([topPart, square]).then(async ([a, b]) => {
    // Half of b's bits, estimated (a * b is about n!/10^fives/2^shift and b
    // about half of it); any split point is exact, this one balances.
    const at = Math.max(1, Math.floor((answerBits("factorial", n) - fives * LOG2_10 - shift) / 4));
    const slice = (slot: Slot, high: boolean) =>
      call(slot, { op: "multiplySlice", a, b, at, high }) as Promise<bigint>;
    const [high, low] = await Promise.all([slice(splitter, true), slice(other, false)]);
    return await call(splitter, { op: "join", high, low, at, shift }) as bigint;
  });
  const [x] = await Promise.all([product, top.then(prepare)]);
  return x;
}
