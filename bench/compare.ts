/**
 * `deno task bench:compare`: our compute server (server.ts) side by side with
 * a baseline run in the same run, on 127.0.0.1 only, and a table with both
 * figures and their ratio. See bench/README.md for what each section does.
 *
 *   a. course-style FIBONACCI latency and req/s, 16 and 256 clients (vs the
 *      Python course server, bench/course_server.py)
 *   b. name -> UUID handshake latency (vs Python)
 *   c. capacity with `FIBONACCI 7` as one write (vs Python)
 *   d. small-request latency while a 64 MiB FILE uploads and FIBONACCI 1000000 and
 *      FACTORIAL 100000 are computed on other connections (ours, vs ours idle)
 *   e. word count of a 64 MiB FILE (vs `LC_ALL=C wc -w`, and Python)
 *   f. factorial and Fibonacci to decimal, in-process (vs CPython, gmpy2)
 *   g. RSS per idle connection (vs Python)
 *
 * @module
 */

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { factorial, fibonacci } from "../lib/task2/compute.ts";
import {
  Client,
  closeClients,
  courseStyleRequest,
  type LoadResult,
  oneWriteRequest,
  openClients,
  pool,
  runLoad,
  uploadFile,
} from "./load.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { randomWords } from "./fixtures.ts";
import {
  killAll,
  loadAverage,
  type MachineInfo,
  machineInfo,
  runCommand,
  type ServerProcess,
  startServer,
} from "./processes.ts";
import {
  type Better,
  describeRatio,
  formatFigure,
  formatTable,
  median,
  summarize,
} from "./report.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const REQUEST_TIMEOUT_MS = 10_000;

const USAGE = `deno task bench:compare [--quick] [--json=FILE] [--only=abcdefg]
  [--seconds=S] [--clients=16,256] [--capacity-clients=128] [--handshakes=N]
  [--idle=1000] [--file-mib=64] [--gap=MS] [--python=python3]

Starts our compute server (server.ts) and the Python course server
(bench/course_server.py) on 127.0.0.1, puts the same load through both, and
prints a table with both figures and the ratio. --quick: shorter phases.
--only picks sections (letters a-g). --gap is passed to our server.`;

/** The run's settings, from the command line. */
interface Config {
  quick: boolean;
  measureMs: number;
  warmupMs: number;
  clients: number[];
  capacityClients: number;
  handshakes: number;
  idle: number;
  fileMiB: number;
  gapMs: number;
  serverGapFlag: string[];
  python: string;
  pythonLimitMs: number;
  repeats: number;
  only: Set<string>;
  json: string | undefined;
}

/** One line of the result table. */
interface Row {
  section: string;
  metric: string;
  unit: string;
  better: Better;
  baselineName: string;
  ours: number | null;
  baseline: number | null;
  /** Text shown instead of a missing figure ("refused", "> 15 s"). */
  oursText?: string;
  baselineText?: string;
}

interface Context {
  config: Config;
  rows: Row[];
  notes: string[];
  ours?: ServerProcess;
  python?: ServerProcess;
  body?: Uint8Array | undefined;
}

function progress(message: string): void {
  console.error(`.. ${message}`);
}

function parseConfig(args: string[]): Config | undefined {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      help: { type: "boolean", short: "h" },
      quick: { type: "boolean" },
      json: { type: "string" },
      only: { type: "string" },
      seconds: { type: "string" },
      clients: { type: "string" },
      "capacity-clients": { type: "string" },
      handshakes: { type: "string" },
      idle: { type: "string" },
      "file-mib": { type: "string" },
      gap: { type: "string" },
      python: { type: "string" },
    },
  });
  if (values.help) return undefined;
  const quick = values.quick === true;
  const int = (name: string, text: string | undefined, fallback: number, min = 1) => {
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!Number.isInteger(value) || value < min) {
      throw new Error(`--${name} must be a whole number >= ${min}, got '${text}'`);
    }
    return value;
  };
  const seconds = values.seconds === undefined ? (quick ? 2 : 6) : Number(values.seconds);
  if (!(seconds > 0)) throw new Error(`--seconds must be positive, got '${values.seconds}'`);
  const only = new Set((values.only ?? "abcdefg").toLowerCase().split(""));
  for (const letter of only) {
    if (!"abcdefg".includes(letter)) throw new Error(`--only: no section '${letter}' (a-g)`);
  }
  const gapMs = int("gap", values.gap, 50);
  return {
    quick,
    measureMs: seconds * 1000,
    warmupMs: quick ? 300 : 1000,
    clients: (values.clients ?? "16,256").split(",").map((text) => int("clients", text, 0)),
    capacityClients: int("capacity-clients", values["capacity-clients"], 128),
    handshakes: int("handshakes", values.handshakes, quick ? 160 : 640),
    idle: int("idle", values.idle, 1000),
    fileMiB: int("file-mib", values["file-mib"], 64),
    gapMs,
    serverGapFlag: values.gap === undefined ? [] : [`--gap=${gapMs}`],
    python: values.python ?? "python3",
    pythonLimitMs: quick ? 8000 : 20_000,
    repeats: quick ? 2 : 3,
    only,
    json: values.json,
  };
}

function addLatencyRows(
  context: Context,
  section: string,
  label: string,
  ours: LoadResult | undefined,
  baseline: LoadResult | undefined,
  baselineName: string,
  withRate: boolean,
): void {
  const o = summarize(ours?.latencies ?? []);
  const b = summarize(baseline?.latencies ?? []);
  const row = (metric: string, unit: string, better: Better, x: number, y: number): Row => ({
    section,
    metric: `${label}: ${metric}`,
    unit,
    better,
    baselineName,
    ours: Number.isFinite(x) ? x : null,
    baseline: Number.isFinite(y) ? y : null,
  });
  context.rows.push(
    row("p50", "ms", "lower", o.p50, b.p50),
    row("p99", "ms", "lower", o.p99, b.p99),
  );
  if (withRate) {
    context.rows.push(
      row("requests/s", "req/s", "higher", ours?.perSecond ?? NaN, baseline?.perSecond ?? NaN),
    );
  }
  for (const [name, result] of [["ours", ours], [baselineName, baseline]] as const) {
    if (result && result.errors > 0) {
      context.notes.push(
        `${section} ${label}: ${name} had ${result.errors} failed clients (${result.firstError})`,
      );
    }
  }
}

async function withClients<T>(
  server: ServerProcess,
  count: number,
  prefix: string,
  use: (clients: Client[]) => Promise<T>,
): Promise<T> {
  const clients = await openClients(server.port, count, prefix, REQUEST_TIMEOUT_MS);
  try {
    return await use(clients);
  } finally {
    await closeClients(clients);
    await sleep(200);
  }
}

function servers(context: Context): [ServerProcess, ServerProcess] {
  if (!context.ours || !context.python) throw new Error("servers not started");
  return [context.ours, context.python];
}

/** a. Course-style requests: FIBONACCI, 5 ms, 7, wait for 13_uuid. */
async function sectionA(context: Context): Promise<void> {
  const { config } = context;
  for (const count of config.clients) {
    const results: LoadResult[] = [];
    for (const server of servers(context)) {
      progress(`a: ${server.label}, ${count} course-style clients, ${config.measureMs} ms`);
      results.push(
        await withClients(server, count, "Client", (clients) =>
          runLoad(
            clients,
            config.warmupMs,
            config.measureMs,
            (client) => courseStyleRequest(client, 7, "13", 5, REQUEST_TIMEOUT_MS),
          )),
      );
    }
    addLatencyRows(
      context,
      "a",
      `course-style FIBONACCI 7, ${count} clients`,
      results[0],
      results[1],
      "Python",
      true,
    );
  }
}

/** b. The handshake: name -> UUID, 16 at a time. */
async function sectionB(context: Context): Promise<void> {
  const { config } = context;
  const results: LoadResult[] = [];
  for (const server of servers(context)) {
    progress(`b: ${server.label}, ${config.handshakes} handshakes, 16 at a time`);
    const latencies = await pool(config.handshakes, 16, async (index) => {
      const client = await Client.connect(server.port);
      try {
        const started = performance.now();
        await client.handshake(`Bench${index + 1}`, REQUEST_TIMEOUT_MS);
        return performance.now() - started;
      } finally {
        await client.finish();
      }
    });
    results.push({ latencies, perSecond: NaN, errors: 0 });
    await sleep(200);
  }
  addLatencyRows(context, "b", "name -> UUID handshake", results[0], results[1], "Python", false);
}

/** c. Capacity: `FIBONACCI 7` as one write, many clients. */
async function sectionC(context: Context): Promise<void> {
  const { config } = context;
  const count = config.capacityClients;
  const results: LoadResult[] = [];
  for (const server of servers(context)) {
    progress(`c: ${server.label}, ${count} clients, one write per request`);
    results.push(
      await withClients(server, count, "Client", (clients) =>
        runLoad(
          clients,
          config.warmupMs,
          config.measureMs,
          (client) => oneWriteRequest(client, 7, "13", REQUEST_TIMEOUT_MS),
        )),
    );
  }
  const [ours, python] = results;
  context.rows.push({
    section: "c",
    metric: `one-write FIBONACCI 7, ${count} clients: requests/s`,
    unit: "req/s",
    better: "higher",
    baselineName: "Python",
    ours: ours?.perSecond ?? null,
    baseline: python?.perSecond ?? null,
  });
  addLatencyRows(
    context,
    "c",
    `one-write FIBONACCI 7, ${count} clients`,
    ours,
    python,
    "Python",
    false,
  );
}

function fileBody(context: Context): Uint8Array {
  if (!context.body) {
    progress(`generating ${context.config.fileMiB} MiB of random words`);
    context.body = randomWords(context.config.fileMiB * 1024 * 1024);
  }
  return context.body;
}

/** d. Our server: course-style latency, idle vs while a 64 MiB FILE uploads. */
async function sectionD(context: Context): Promise<void> {
  const { config } = context;
  const [ours] = servers(context);
  const body = fileBody(context);
  const count = 16;
  progress(`d: ${ours.label}, ${count} course-style clients, no upload`);
  const quiet = await withClients(ours, count, "Client", (clients) =>
    runLoad(
      clients,
      config.warmupMs,
      config.measureMs,
      (client) => courseStyleRequest(client, 7, "13", 5, REQUEST_TIMEOUT_MS),
    ));
  progress(
    `d: ${ours.label}, ${count} course-style clients, ${config.fileMiB} MiB uploads, ` +
      "FIBONACCI 1000000 and FACTORIAL 100000 in flight",
  );
  const uploader = await Client.connect(ours.port);
  let uploading = false;
  let stop = false;
  const uploads: number[] = [];
  // Two more connections keep a large computation each in flight all along.
  const heavy = await Promise.all(
    ["Fibonacci", "Factorial"].map((name) =>
      Client.connect(ours.port).then(async (client) => {
        await client.handshake(name, REQUEST_TIMEOUT_MS);
        return client;
      })
    ),
  );
  const computed = [0, 0];
  const heavyLoops = heavy.map(async (client, i) => {
    const request = i === 0 ? "FIBONACCI 1000000" : "FACTORIAL 100000";
    const digits = i === 0 ? 208_988 : 456_574;
    while (!stop) {
      await client.write(request);
      const answer = await client.reply(60_000);
      if (answer.length !== digits) throw new Error(`${request}: ${answer.length} digits`);
      computed[i]!++;
    }
  });
  try {
    await uploader.handshake("Uploader", REQUEST_TIMEOUT_MS);
    const uploadLoop = (async () => {
      while (!stop) {
        const { ms } = await uploadFile(
          uploader,
          body,
          config.gapMs,
          60_000,
          (sending) => {
            uploading = sending;
          },
        );
        uploads.push(ms);
      }
    })();
    const busy = await withClients(
      ours,
      count,
      "Client",
      (clients) =>
        runLoad(clients, config.warmupMs, config.measureMs, async (client) => {
          const during = uploading;
          const latency = await courseStyleRequest(client, 7, "13", 5, REQUEST_TIMEOUT_MS);
          return during ? latency : NaN;
        }),
    ).finally(() => {
      stop = true;
    });
    await uploadLoop;
    await Promise.all(heavyLoops);
    addLatencyRows(
      context,
      "d",
      `course-style, ${count} clients, during uploads + big n`,
      busy,
      quiet,
      "ours idle",
      false,
    );
    const rate = uploads.length === 0
      ? "none finished"
      : `${uploads.length} finished, median ${
        formatFigure(config.fileMiB / (median(uploads) / 1000))
      } MiB/s`;
    context.notes.push(
      `d: uploads meanwhile: ${rate}; ${busy.latencies.length} requests measured during uploads; ` +
        `${computed[0]} FIBONACCI 1000000 and ${computed[1]} FACTORIAL 100000 answered meanwhile`,
    );
  } finally {
    stop = true;
    await uploader.finish();
    await Promise.allSettled(heavyLoops);
    await Promise.all(heavy.map((client) => client.finish()));
  }
}

/** e. Word count of the same bytes: our server over loopback, wc -w, Python. */
async function sectionE(context: Context): Promise<void> {
  const { config } = context;
  const [ours, python] = servers(context);
  const body = fileBody(context);
  const path = await Deno.makeTempFile({ prefix: "cs341_bench_", suffix: ".txt" });
  try {
    await Deno.writeFile(path, body);
    const wcTimes: number[] = [];
    let wcWords = NaN;
    const wc = async () => {
      const result = await runCommand("wc", ["-w", path], {
        env: { LC_ALL: "C" },
        limitMs: 60_000,
      });
      if (result.code !== 0) throw new Error(`wc -w failed: ${result.stderr.trim()}`);
      wcWords = Number(result.stdout.trim().split(/\s+/)[0]);
      wcTimes.push(result.wallMs);
    };
    const upload = async (client: Client, label: string) => {
      const { words, ms } = await uploadFile(client, body, config.gapMs, 120_000);
      if (words !== wcWords) {
        context.notes.push(`e: ${label} counted ${words} words, wc -w ${wcWords}`);
      }
      return ms;
    };
    // wc -w and our server take turns, so a busy spell on the machine hits both.
    progress(`e: ours and LC_ALL=C wc -w in turn, ${config.fileMiB} MiB, ${config.repeats} runs`);
    const oursTimes: number[] = [];
    const oursClient = await Client.connect(ours.port);
    try {
      await oursClient.handshake("Uploader", REQUEST_TIMEOUT_MS);
      for (let run = 0; run < config.repeats; run++) {
        await wc();
        oursTimes.push(await upload(oursClient, "ours"));
      }
    } finally {
      await oursClient.finish();
    }
    progress(`e: Python, FILE of ${config.fileMiB} MiB, 1 run`);
    const pythonClient = await Client.connect(python.port);
    let pythonMs: number;
    try {
      await pythonClient.handshake("Uploader", REQUEST_TIMEOUT_MS);
      pythonMs = await upload(pythonClient, "Python");
    } finally {
      await pythonClient.finish();
    }
    const oursMs = median(oursTimes);
    context.body = undefined; // not needed after e; let it be collected before f
    const mibPerS = (ms: number) => config.fileMiB / (ms / 1000);
    const metric = `word count, ${config.fileMiB} MiB (${wcWords} words)`;
    context.rows.push(
      {
        section: "e",
        metric: `${metric}: MiB/s`,
        unit: "MiB/s",
        better: "higher",
        baselineName: "LC_ALL=C wc -w",
        ours: mibPerS(oursMs),
        baseline: mibPerS(median(wcTimes)),
      },
      {
        section: "e",
        metric: `${metric}: MiB/s`,
        unit: "MiB/s",
        better: "higher",
        baselineName: "Python",
        ours: mibPerS(oursMs),
        baseline: mibPerS(pythonMs),
      },
    );
    context.notes.push(
      "e: ours and Python are timed from the first body byte written to the reply, over " +
        "loopback; wc -w is the wall time of the whole process reading the file (page cache)",
    );
  } finally {
    await Deno.remove(path).catch(() => {});
  }
}

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

interface BigIntTiming {
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

async function timePython(
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
async function sectionF(context: Context): Promise<void> {
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
    try {
      ours = timeOurs(kind === "factorial" ? () => factorial(n) : () => fibonacci(n));
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
    }
  }
}

/** g. RSS per idle connection after the handshake. */
async function sectionG(context: Context): Promise<void> {
  const { config } = context;
  const perConnection: number[] = [];
  const atStart: number[] = [];
  for (const server of servers(context)) {
    progress(`g: ${server.label}, ${config.idle} idle connections`);
    await withClients(server, 50, "Warm", async () => {});
    await sleep(500);
    const before = await server.rssKiB();
    const after = await withClients(server, config.idle, "Idle", async () => {
      await sleep(1000);
      return await server.rssKiB();
    });
    atStart.push(before / 1024);
    perConnection.push((after - before) / config.idle);
  }
  context.rows.push(
    {
      section: "g",
      metric: "server RSS before: MiB",
      unit: "MiB",
      better: "lower",
      baselineName: "Python",
      ours: atStart[0] ?? null,
      baseline: atStart[1] ?? null,
    },
    {
      section: "g",
      metric: `RSS per idle connection (${config.idle} open): KiB`,
      unit: "KiB",
      better: "lower",
      baselineName: "Python",
      ours: perConnection[0] ?? null,
      baseline: perConnection[1] ?? null,
    },
  );
}

function renderHeader(machine: MachineInfo, config: Config, args: readonly string[]): string {
  return [
    `bench/compare.ts ${args.join(" ")}`.trimEnd(),
    `date     ${machine.date}`,
    `machine  ${machine.nproc} CPUs, ${machine.cpu}, ${machine.memory} RAM, ${machine.kernel}`,
    `deno     ${machine.deno}`,
    `python   ${machine.python}`,
    `load     ${machine.loadAverage} (1, 5, 15 min load average at the start)`,
    `phases   ${config.measureMs / 1000} s per phase after ${
      config.warmupMs / 1000
    } s warm-up; all traffic on 127.0.0.1`,
  ].join("\n");
}

function renderRows(rows: readonly Row[]): string {
  const cell = (value: number | null, text: string | undefined) =>
    text ?? (value === null ? "-" : formatFigure(value));
  return formatTable(
    ["", "measure", "ours", "baseline", "base is", "ours vs base"],
    rows.map((row) => [
      row.section,
      row.metric,
      cell(row.ours, row.oursText),
      cell(row.baseline, row.baselineText),
      row.baselineName,
      describeRatio(row.ours ?? NaN, row.baseline ?? NaN, row.better),
    ]),
  );
}

const SECTIONS: [string, (context: Context) => Promise<void>][] = [
  // g first: the servers are fresh, so their RSS is not yet grown by load.
  ["g", sectionG],
  ["b", sectionB],
  ["a", sectionA],
  ["c", sectionC],
  ["d", sectionD],
  ["e", sectionE],
  ["f", sectionF],
];

async function main(args: string[]): Promise<number> {
  let config: Config | undefined;
  try {
    config = parseConfig(args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error(USAGE);
    return 2;
  }
  if (config === undefined) {
    console.log(USAGE);
    return 0;
  }
  const machine = await machineInfo(config.python);
  console.log(renderHeader(machine, config, args));
  const context: Context = { config, rows: [], notes: [] };
  const onSignal = () => {
    killAll();
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    const needServers = [...config.only].some((letter) => letter !== "f");
    if (needServers) {
      progress("starting our server and the Python course server");
      context.ours = await startServer("ours", Deno.execPath(), [
        "run",
        "--allow-net",
        "--allow-read",
        "--allow-write",
        "server.ts",
        "--host=127.0.0.1",
        "--port=0",
        ...config.serverGapFlag,
      ], ROOT);
      context.python = await startServer("Python", config.python, [
        "bench/course_server.py",
        "--host=127.0.0.1",
        "--port=0",
      ], ROOT);
    }
    for (const [letter, run] of SECTIONS) {
      if (!config.only.has(letter)) continue;
      try {
        await run(context);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        context.notes.push(`${letter}: failed: ${message}`);
        progress(`${letter} failed: ${message}`);
      }
    }
  } finally {
    await context.ours?.stop();
    await context.python?.stop();
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  context.notes.push(`load average at the end: ${await loadAverage()}`);
  const rows = [...context.rows].sort((x, y) => x.section.localeCompare(y.section));
  console.log();
  console.log(renderRows(rows));
  if (context.notes.length > 0) {
    console.log();
    const bySection = (note: string) => note.slice(0, 1);
    const notes = [...context.notes].sort((x, y) => bySection(x).localeCompare(bySection(y)));
    for (const note of notes) console.log(note);
  }
  if (config.json !== undefined) {
    await Deno.writeTextFile(
      config.json,
      JSON.stringify(
        {
          machine,
          args,
          config: { ...config, only: [...config.only] },
          rows,
          notes: context.notes,
        },
        null,
        2,
      ) + "\n",
    );
    console.log(`\nresults written to ${config.json}`);
  }
  return context.notes.some((note) => / failed: /.test(note)) ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
