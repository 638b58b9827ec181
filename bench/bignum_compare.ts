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

const PYTHON = "/usr/bin/python3";
const CASES = [["fibonacci", 10_000_000], ["factorial", 1_000_000]] as const;

const PY_SCRIPT = `
import sys, time, math
sys.set_int_max_str_digits(0)
kind, n, lib = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def fib(n):
    a, b = 0, 1
    for bit in bin(n)[2:]:
        a, b = a * (2 * b - a), a * a + b * b
        if bit == "1": a, b = b, a + b
    return a
if lib == "gmp":
    import gmpy2
    t = time.perf_counter()
    s = (gmpy2.fib(n) if kind == "fibonacci" else gmpy2.fac(n)).digits()
else:
    t = time.perf_counter()
    s = str(fib(n) if kind == "fibonacci" else math.factorial(n))
print(time.perf_counter() - t, len(s))
`;

async function python(kind: string, n: number, lib: string, timeoutS: number): Promise<number> {
  const output = await new Deno.Command("timeout", {
    args: [String(timeoutS), PYTHON, "-c", PY_SCRIPT, kind, String(n), lib],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!output.success) return Infinity;
  return 1000 * Number(new TextDecoder().decode(output.stdout).split(" ")[0]);
}

function single(kind: "fibonacci" | "factorial", n: number): number {
  const start = performance.now();
  const value = kind === "fibonacci" ? fibonacci(n) : factorial(n);
  value.toString();
  return performance.now() - start;
}

async function pooled(pool: ComputePool, kind: "fibonacci" | "factorial", n: number) {
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

async function cat(path: string): Promise<string> {
  const output = await new Deno.Command("cat", { args: [path], stderr: "null" }).output();
  return new TextDecoder().decode(output.stdout);
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
    best.gmp = Math.min(best.gmp, await python(kind, n, "gmp", 60));
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
  row("GMP (gmpy2 fib/fac + digits)", best.gmp);
  row("CPython 3.11 (str)", cpython);
}
console.log(`load average at the end ${await load()}`);
