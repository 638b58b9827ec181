/**
 * End-to-end times of the largest answers, F(10^7) and (10^6)!, as decimal
 * text: ours with the worker pool, ours on one thread, GMP (gmpy2) and
 * CPython, interleaved, best of `--runs`, with ratios to GMP.
 *
 *     deno run --allow-read --allow-run bench/bignum_compare.ts [--runs=5] [--cpython]
 *
 * CPython 3.11's int -> str is quadratic (minutes for 5.5 M digits), so it
 * runs only with `--cpython`, once, under a 300 s cap.
 *
 * @module
 */

import { flag, parseScriptFlags } from "../lib/cli/mod.ts";
import { factorial, fibonacci } from "../lib/task2/compute/compute.ts";
import { ComputePool } from "../lib/task2/compute/compute_pool.ts";
import { timePython } from "./compare_bignum.ts";
import { runCommand } from "./processes.ts";

const PYTHON = "/usr/bin/python3";
const CASES = [["fibonacci", 10_000_000], ["factorial", 1_000_000]] as const;
type Kind = "fibonacci" | "factorial";

/** The Python script's time for `kind n` as text (compute + str), ms; Infinity when it failed. */
async function python(kind: Kind, n: number, lib: "gmpy2" | "cpython", limitS: number) {
  const timing = await timePython(PYTHON, lib, kind, n, limitS * 1000);
  return typeof timing === "string" ? Infinity : timing.computeMs + timing.decimalMs;
}

function single(kind: Kind, n: number): number {
  const start = performance.now();
  const value = kind === "fibonacci" ? fibonacci(n) : factorial(n);
  value.toString();
  return performance.now() - start;
}

async function pooled(pool: ComputePool, kind: Kind, n: number) {
  const start = performance.now();
  await pool.run({ kind, n });
  return performance.now() - start;
}

const { runs, cpython: withCpython } = parseScriptFlags({
  usage: "deno run --allow-read --allow-run bench/bignum_compare.ts [flags]",
  summary: "End-to-end times of F(10^7) and (10^6)! as decimal text: ours (pool and one thread), " +
    "GMP (gmpy2) and optionally CPython, interleaved, best of --runs, with ratios to GMP.",
  flags: {
    runs: flag.integer({
      description: "Runs of each; the best is kept",
      min: 1,
      max: 100,
      default: 5,
    }),
    cpython: flag.switch({
      description: "Also time CPython (quadratic: minutes; once, 300 s cap)",
    }),
  },
  examples: ["deno run --allow-read --allow-run bench/bignum_compare.ts --runs=3"],
}, Deno.args);

// Through cat: Deno reads /proc only with -A.
async function cat(path: string): Promise<string> {
  return (await runCommand("cat", [path])).stdout;
}
const cpu = (await cat("/proc/cpuinfo")).match(/model name\s*:\s*(.*)/)?.[1] ?? "unknown CPU";
const load = async () => (await cat("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
console.log(
  `${new Date().toISOString()}  ${cpu}, ${navigator.hardwareConcurrency} cores, ` +
    `Deno ${Deno.version.deno} (V8 ${Deno.version.v8}); best of ${runs}, ms; ` +
    `load average ${await load()}`,
);

await using pool = new ComputePool({ size: 2 });
// Start both workers.
await Promise.all([100_000, 100_001].map((n) => pool.run({ kind: "fibonacci", n })));
for (const [kind, n] of CASES) {
  const best = { pool: Infinity, poolCold: Infinity, single: Infinity, gmp: Infinity };
  // A pause before each timing lets the garbage of the one before be
  // collected (V8 collects on helper threads, which would steal a core).
  const settle = () => new Promise((resolve) => setTimeout(resolve, 500));
  for (let run = 0; run < runs; run++) {
    best.gmp = Math.min(best.gmp, await python(kind, n, "gmpy2", 60));
    await settle();
    // A new n each time (a new split exponent: 10^e and its reciprocal
    // computed again), as for a server's varied requests; then n itself.
    const other = n - 1000 * (run + 1);
    best.poolCold = Math.min(best.poolCold, await pooled(pool, kind, other));
    await settle();
    best.pool = Math.min(best.pool, await pooled(pool, kind, n));
    await settle();
    best.single = Math.min(best.single, single(kind, n));
  }
  const cpython = withCpython ? await python(kind, n, "cpython", 300) : NaN;
  const row = (name: string, ms: number) =>
    console.log(
      `  ${name.padEnd(34)} ${
        Number.isFinite(ms) ? ms.toFixed(0).padStart(7) : (Number.isNaN(ms) ? "skipped" : " >300 s")
      }  ${Number.isFinite(ms) ? (ms / best.gmp).toFixed(2) + "x GMP" : ""}`,
    );
  console.log(`${kind}(${n})`);
  row("ours, pool of 2, n again (warm)", best.pool);
  row(`ours, pool of 2, n - 1000k (cold)`, best.poolCold);
  row("ours, one thread (toString)", best.single);
  row("GMP (gmpy2 fib/fac + str)", best.gmp);
  row("CPython 3.11 (str)", cpython);
}
console.log(`load average at the end ${await load()}`);
