/**
 * bench/compare.ts section f: n! and F(n) to decimal, in-process, vs CPython
 * and gmpy2 run through the same timing script; and the two largest, 10^6!
 * and F(10^7), end to end through our running server (request written to
 * whole reply read, the server's worker pool doing the work; a new n first,
 * then the same n again) vs gmpy2.
 *
 * @module
 */

import { factorial, fibonacci } from "../lib/task2/compute/compute.ts";
import { RequestError } from "../lib/task2/protocol/errors.ts";
import { connect, handshake } from "./load.ts";
import { runCommand, type ServerProcess } from "./processes.ts";
import { formatFigure, median } from "./report.ts";
import { addRow, type Context, progress, REQUEST_TIMEOUT_MS } from "./compare_context.ts";

const PYTHON_BIGINT = `
import sys, time, json
kind, n, lib = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if hasattr(sys, "set_int_max_str_digits"):
    sys.set_int_max_str_digits(0)
if lib == "gmpy2":
    import gmpy2
    fact, fib = gmpy2.fac, gmpy2.fib
else:
    import math
    fact = math.factorial
    def fib(n):
        a, b = 0, 1
        for bit in bin(n)[2:]:
            a, b = a * (2 * b - a), a * a + b * b
            if bit == "1":
                a, b = b, a + b
        return a
f = fact if kind == "factorial" else fib
def run():
    t0 = time.perf_counter(); v = f(n); t1 = time.perf_counter(); s = str(v); t2 = time.perf_counter()
    return t1 - t0, t2 - t1, len(s)
runs = [run()]
if sum(runs[0][:2]) < 0.5:
    runs = []
    budget = time.perf_counter() + 1
    while len(runs) < 11 and (len(runs) < 3 or time.perf_counter() < budget):
        runs.append(run())
runs.sort(key=lambda r: r[0] + r[1])
c, d, digits = runs[len(runs) // 2]
print(json.dumps({"computeMs": c * 1000, "decimalMs": d * 1000, "digits": digits}))
`;

type Kind = "factorial" | "fibonacci";
const sum = (timing: BigIntTiming) => timing.computeMs + timing.decimalMs;

/** One timed run: computing the value, writing it in decimal, and how many digits. */
export interface BigIntTiming {
  computeMs: number;
  decimalMs: number;
  digits: number;
}

/**
 * Times `compute()` and its decimal string the same way the Python script
 * does: one warm-up run (kept as the only run when it took 500 ms or more),
 * then at least 3 and up to 11 runs within about 1 s; the median run.
 */
function timeOurs(compute: () => bigint): BigIntTiming {
  const run = (): BigIntTiming => {
    const t0 = performance.now();
    const value = compute();
    const t1 = performance.now();
    const digits = value.toString().length;
    const t2 = performance.now();
    return { computeMs: t1 - t0, decimalMs: t2 - t1, digits };
  };
  let runs = [run()];
  if (runs[0]!.computeMs + runs[0]!.decimalMs < 500) {
    runs = [];
    const budgetEnd = performance.now() + 1000;
    while (runs.length < 11 && (runs.length < 3 || performance.now() < budgetEnd)) {
      runs.push(run());
    }
  }
  runs.sort((x, y) => x.computeMs + x.decimalMs - (y.computeMs + y.decimalMs));
  return runs[Math.floor(runs.length / 2)]!;
}

/**
 * Times `KIND n` through `server` on one connection, from the write of the
 * request to the last byte of its reply. "Cold": the median of three new
 * sizes, `n - 1000`, then 0.5% and 1% below it (each far enough from the
 * others that the server's cached split for one cannot serve the next), as
 * a server's varied requests are. "Warm": `KIND n` once as warm-up, then
 * the median of 5. Throws unless every answer is right.
 */
async function timeServer(server: ServerProcess, kind: Kind, n: number, expected: string) {
  using client = await connect(server.port);
  await handshake(client, "Client1", REQUEST_TIMEOUT_MS);
  const once = async (n: number, expected: string) => {
    const request = `${kind.toUpperCase()} ${n}`;
    const started = performance.now();
    await client.send(request);
    // The reply's length is known: read by length (the UUID tail is 33 bytes).
    const reply = await client.exactly(expected.length + 33, REQUEST_TIMEOUT_MS * 3);
    const ms = performance.now() - started;
    if (reply.slice(0, -33) !== expected) throw new Error(`${request}: a wrong answer`);
    return ms;
  };
  const cold: number[] = [];
  for (const size of [n - 1000, n - 1000 - Math.round(n / 200), n - 1000 - Math.round(n / 100)]) {
    // The expected text is made before the clock starts.
    cold.push(await once(size, compute(kind, size).toString()));
  }
  await once(n, expected);
  const warm: number[] = [];
  for (let run = 0; run < 5; run++) warm.push(await once(n, expected));
  return { cold: median(cold), warm: median(warm) };
}

/**
 * Times `kind n` in `python` (CPython's int, or gmpy2) as {@linkcode timeOurs}
 * does ours; a string when it failed or ran over `limitMs`.
 */
async function timePython(
  python: string,
  lib: "cpython" | "gmpy2",
  kind: Kind,
  n: number,
  limitMs: number,
): Promise<BigIntTiming | string> {
  const result = await runCommand(python, ["-c", PYTHON_BIGINT, kind, String(n), lib], {
    limitMs,
  });
  if (result.timedOut) return `> ${limitMs / 1000} s`;
  if (result.code !== 0) return `failed: ${result.stderr.trim().split("\n").at(-1)}`;
  return JSON.parse(result.stdout) as BigIntTiming;
}

async function gmpyPython(config: Context["config"]): Promise<string | undefined> {
  for (const python of [config.python, "/usr/bin/python3"]) {
    const result = await runCommand(python, ["-c", "import gmpy2"], { limitMs: 10_000 });
    if (result.code === 0) return python;
  }
  return undefined;
}

const compute = (kind: Kind, n: number) => kind === "factorial" ? factorial(n) : fibonacci(n);
const CASES: [Kind, number][] = [
  ["factorial", 10_000],
  ["factorial", 100_000],
  ["factorial", 1_000_000],
  ["fibonacci", 100_000],
  ["fibonacci", 1_000_000],
  ["fibonacci", 10_000_000],
];

/**
 * f. n! and F(n) computed and written in decimal: ours in-process vs
 * CPython and gmpy2; the largest of each kind also through our server,
 * cold and warm, vs gmpy2.
 */
export async function sectionF(context: Context): Promise<void> {
  const { config } = context;
  const gmpy = await gmpyPython(config);
  const version = gmpy && await runCommand(gmpy, ["-c", "import gmpy2; print(gmpy2.version())"]);
  const missing = `f: gmpy2 is not importable by ${config.python} or /usr/bin/python3`;
  context.notes.push(version ? `f: gmpy2 ${version.stdout.trim()} via ${gmpy}` : missing);
  type Figure = BigIntTiming | number | string;
  const total = (t: Figure) => (typeof t === "object" ? sum(t) : typeof t === "number" ? t : null);
  const text = (timing: Figure) => {
    if (typeof timing !== "object") return String(timing);
    const [compute, decimal] = [formatFigure(timing.computeMs), formatFigure(timing.decimalMs)];
    return `${timing.digits} digits, compute ${compute} ms + decimal ${decimal} ms`;
  };
  const row = (metric: string, name: string, ours: Figure, base: Figure) => {
    const texts = { ...(typeof ours === "string" ? { oursText: ours } : {}) };
    if (typeof base === "string") Object.assign(texts, { baselineText: base });
    addRow(context, ["f", metric, "ms"], "lower", name, [total(ours), total(base)], texts);
  };
  for (const [kind, n] of CASES) {
    const label = kind === "factorial" ? `10^${Math.log10(n)}!` : `F(10^${Math.log10(n)})`;
    progress(`f: ${label}`);
    let ours: BigIntTiming | string;
    let viaServer: { cold: number; warm: number } | string | undefined;
    try {
      ours = timeOurs(() => compute(kind, n));
      if (n === CASES.findLast(([other]) => other === kind)![1]) {
        progress(`f: ${label} through our server`);
        viaServer = context.ours
          ? await timeServer(context.ours, kind, n, compute(kind, n).toString())
          : "no server";
      }
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      ours = "refused";
      context.notes.push(`f: ours skipped ${label}: ${error.message}`);
    }
    const baselines: [string, BigIntTiming | string][] = [
      ["CPython", await timePython(config.python, "cpython", kind, n, config.pythonLimitMs)],
    ];
    if (gmpy !== undefined) {
      baselines.push(["gmpy2", await timePython(gmpy, "gmpy2", kind, n, config.pythonLimitMs)]);
    }
    for (const [name, timing] of [["ours", ours] as const, ...baselines]) {
      context.notes.push(`f: ${name} ${label}: ${text(timing)}`);
    }
    for (const [name, timing] of baselines) {
      if (typeof ours !== "string" && typeof timing !== "string" && timing.digits !== ours.digits) {
        context.notes.push(`f: ${label}: ours has ${ours.digits} digits, ${name} ${timing.digits}`);
      }
      row(`${label} to decimal`, name, ours, timing);
      if (viaServer === undefined || name !== "gmpy2") continue;
      const server = (key: "cold" | "warm") =>
        typeof viaServer === "string" ? viaServer : viaServer![key];
      row(`${label} through our server, new sizes (cold)`, name, server("cold"), timing);
      row(`${label} through our server, n again (warm)`, name, server("warm"), timing);
    }
  }
}
