/**
 * bench/compare.ts section f: n! and F(n) to decimal, in-process, vs CPython
 * and gmpy2 run through the same timing script; and the two largest, 10^6!
 * and F(10^7), end to end through our running server (request written to
 * whole reply read, the server's worker pool doing the work) vs gmpy2.
 *
 * @module
 */

import { factorial, fibonacci } from "../lib/task2/compute/compute.ts";
import { connect, handshake } from "./load.ts";
import { runCommand, type ServerProcess } from "./processes.ts";
import { formatFigure } from "./report.ts";
import { type Config, type Context, progress, REQUEST_TIMEOUT_MS } from "./compare_context.ts";

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
print(json.dumps({"compute_ms": c * 1000, "decimal_ms": d * 1000, "digits": digits}))
`;

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
 * request to the last byte of its reply: one warm-up request, then the
 * median of 3. Throws unless every reply is `expected` and the UUID.
 */
async function timeServer(
  server: ServerProcess,
  kind: "factorial" | "fibonacci",
  n: number,
  expected: string,
): Promise<number> {
  using client = await connect(server.port);
  await handshake(client, "Client1", REQUEST_TIMEOUT_MS);
  const request = `${kind === "factorial" ? "FACTORIAL" : "FIBONACCI"} ${n}`;
  const once = async () => {
    const started = performance.now();
    await client.send(request);
    // The reply's length is known: read by length (the UUID tail is 33 bytes).
    const reply = await client.exactly(expected.length + 33, REQUEST_TIMEOUT_MS * 3);
    const ms = performance.now() - started;
    if (reply.slice(0, -33) !== expected) {
      throw new Error(`${request}: the server's answer differs from ours in process`);
    }
    return ms;
  };
  await once();
  const runs = [await once(), await once(), await once()].sort((a, b) => a - b);
  return runs[1]!;
}

/**
 * Times `kind n` in `python` (CPython's int, or gmpy2) as {@linkcode timeOurs}
 * does ours; a string when it failed or ran over `limitMs`.
 */
export async function timePython(
  python: string,
  lib: "cpython" | "gmpy2",
  kind: "factorial" | "fibonacci",
  n: number,
  limitMs: number,
): Promise<BigIntTiming | string> {
  const result = await runCommand(python, ["-c", PYTHON_BIGINT, kind, String(n), lib], {
    limitMs,
  });
  if (result.timedOut) return `> ${limitMs / 1000} s`;
  if (result.code !== 0) return `failed: ${result.stderr.trim().split("\n").at(-1)}`;
  const parsed = JSON.parse(result.stdout) as {
    compute_ms: number;
    decimal_ms: number;
    digits: number;
  };
  return { computeMs: parsed.compute_ms, decimalMs: parsed.decimal_ms, digits: parsed.digits };
}

async function gmpyPython(config: Config): Promise<string | undefined> {
  for (const python of [config.python, "/usr/bin/python3"]) {
    const result = await runCommand(python, ["-c", "import gmpy2"], { limitMs: 10_000 });
    if (result.code === 0) return python;
  }
  return undefined;
}

function powerOfTen(n: number): string {
  const exponent = Math.log10(n);
  return Number.isInteger(exponent) ? `10^${exponent}` : String(n);
}

/** f. n! and F(n) computed and written in decimal: ours in-process vs CPython, gmpy2. */
export async function sectionF(context: Context): Promise<void> {
  const { config } = context;
  const gmpy = await gmpyPython(config);
  if (gmpy === undefined) {
    context.notes.push(`f: gmpy2 is not importable by ${config.python} or /usr/bin/python3`);
  } else {
    const version = await runCommand(gmpy, ["-c", "import gmpy2; print(gmpy2.version())"]);
    context.notes.push(`f: gmpy2 ${version.stdout.trim()} via ${gmpy}`);
  }
  const cases: ["factorial" | "fibonacci", number][] = [
    ["factorial", 10_000],
    ["factorial", 100_000],
    ["factorial", 1_000_000],
    ["fibonacci", 100_000],
    ["fibonacci", 1_000_000],
    ["fibonacci", 10_000_000],
  ];
  for (const [kind, n] of cases) {
    const label = kind === "factorial" ? `${powerOfTen(n)}!` : `F(${powerOfTen(n)})`;
    progress(`f: ${label}`);
    let ours: BigIntTiming | string;
    let viaServer: number | string | undefined;
    try {
      ours = timeOurs(kind === "factorial" ? () => factorial(n) : () => fibonacci(n));
      if ((kind === "factorial" && n === 1_000_000) || n === 10_000_000) {
        if (context.ours === undefined) {
          viaServer = "no server";
        } else {
          progress(`f: ${label} through our server`);
          const expected = (kind === "factorial" ? factorial(n) : fibonacci(n)).toString();
          viaServer = await timeServer(context.ours, kind, n, expected);
        }
      }
    } catch (error) {
      if (!(error instanceof Error && error.name === "RequestError")) throw error;
      ours = "refused";
      context.notes.push(`f: ours skipped ${label}: ${error.message}`);
    }
    const baselines: [string, BigIntTiming | string][] = [
      ["CPython", await timePython(config.python, "cpython", kind, n, config.pythonLimitMs)],
    ];
    if (gmpy !== undefined) {
      baselines.push(["gmpy2", await timePython(gmpy, "gmpy2", kind, n, config.pythonLimitMs)]);
    }
    const total = (timing: BigIntTiming | string) =>
      typeof timing === "string" ? null : timing.computeMs + timing.decimalMs;
    if (typeof ours !== "string") {
      context.notes.push(
        `f: ours ${label}: ${ours.digits} digits, compute ${formatFigure(ours.computeMs)} ms + ` +
          `decimal ${formatFigure(ours.decimalMs)} ms`,
      );
    }
    for (const [name, timing] of baselines) {
      if (typeof timing !== "string") {
        context.notes.push(
          `f: ${name} ${label}: ${timing.digits} digits, compute ${
            formatFigure(timing.computeMs)
          } ms + decimal ${formatFigure(timing.decimalMs)} ms`,
        );
        if (typeof ours !== "string" && timing.digits !== ours.digits) {
          context.notes.push(
            `f: ${label}: ours has ${ours.digits} digits, ${name} ${timing.digits}`,
          );
        }
      }
      context.rows.push({
        section: "f",
        metric: `${label} to decimal: ms`,
        unit: "ms",
        better: "lower",
        baselineName: name,
        ours: total(ours),
        baseline: total(timing),
        ...(typeof ours === "string" ? { oursText: ours } : {}),
        ...(typeof timing === "string" ? { baselineText: timing } : {}),
      });
      if (viaServer !== undefined && name === "gmpy2") {
        context.rows.push({
          section: "f",
          metric: `${label} through our server: ms`,
          unit: "ms",
          better: "lower",
          baselineName: name,
          ours: typeof viaServer === "string" ? null : viaServer,
          baseline: total(timing),
          ...(typeof viaServer === "string" ? { oursText: viaServer } : {}),
          ...(typeof timing === "string" ? { baselineText: timing } : {}),
        });
      }
    }
  }
}
