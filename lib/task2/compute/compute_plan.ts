/**
 * How one pool job runs on its one or two workers (the plans described in
 * compute_pool.ts), and the one-call-at-a-time messaging with a worker.
 * Internal to the pool.
 *
 * @module
 */

import { answerBits, factorialFives, factorialTwos } from "./compute.ts";
import type { StepValue, WorkerStep } from "./compute_worker.ts";
import { splitExponent } from "./decimal.ts";
import type { PendingCalls } from "../../net/worker_rpc.ts";

const LOG2_10 = Math.log2(10);

/** A worker of the pool and the one call it is running, if any. */
export interface Slot {
  worker: Worker;
  /** The split exponents this worker has prepared lately (its cache holds 16). */
  prepared: number[];
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
  const e = splitExponent(answerBits(job.kind, job.n) - Math.floor(fives * LOG2_10));
  // The splitter prepares 10^e and its reciprocal while the other computes;
  // a worker that has prepared this e before (same n again) is the splitter.
  const warm = slots.findIndex((slot) => slot.prepared.includes(e));
  const splitter = slots[warm >= 0 ? warm : 0]!;
  const other = slots.find((slot) => slot !== splitter)!;
  const prepare = () =>
    call(splitter, { op: "prepare", e }).then(() => {
      splitter.prepared = [...splitter.prepared.filter((seen) => seen !== e), e].slice(-16);
    });
  let x: bigint;
  if (job.kind === "fibonacci") {
    [x] = await Promise.all([
      call(other, { op: "fibonacci", n: job.n }) as Promise<bigint>,
      prepare(),
    ]);
  } else {
    // n! / 10^fives = oddProduct(m + 1, n) * oddFactorial(m) * oddPart(m!) *
    // 2^(twos - fives), m = n/2, each odd number without its 5s.
    // The odd product is the quicker half: its worker then prepares the
    // split, and the other multiplies.
    const m = Math.floor(job.n / 2);
    const top = call(splitter, {
      op: "oddProduct",
      low: m + 1,
      high: job.n,
      withoutFives: true,
    }) as Promise<bigint>;
    const parts = call(other, { op: "oddFactorialParts", m, withoutFives: true }) as Promise<
      [bigint, bigint]
    >;
    const prepared = top.then(prepare);
    const product = Promise.all([top, parts]).then(([top, parts]) =>
      call(other, {
        op: "multiply",
        factors: [top, ...parts],
        shift: factorialTwos(job.n) - fives,
      })
    ) as Promise<bigint>;
    [x] = await Promise.all([product, prepared]);
  }
  const zeros = "0".repeat(fives);
  const [hi, lo] = await call(splitter, { op: "split", x, e }) as [bigint, bigint];
  if (hi === 0n) {
    return await call(splitter, { op: "decimal", x: lo, width: 0 }) as string + zeros;
  }
  const [high, low] = await Promise.all([
    call(other, { op: "decimal", x: hi, width: 0 }) as Promise<string>,
    call(splitter, { op: "decimal", x: lo, width: e }) as Promise<string>,
  ]);
  return high + low + zeros;
}
