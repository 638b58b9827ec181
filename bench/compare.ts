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
import { killAll, loadAverage, type MachineInfo, machineInfo, startServer } from "./processes.ts";
import { describeRatio, formatFigure, formatTable } from "./report.ts";
import { type Config, type Context, progress, type Row } from "./compare_context.ts";
import { sectionA, sectionB, sectionC, sectionD } from "./compare_latency.ts";
import { sectionE, sectionG } from "./compare_throughput.ts";
import { sectionF } from "./compare_bignum.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const USAGE = `deno task bench:compare [--quick] [--json=FILE] [--only=abcdefg]
  [--seconds=S] [--clients=16,256] [--capacity-clients=128] [--handshakes=N]
  [--idle=1000] [--file-mib=64] [--gap=MS] [--python=python3]

Starts our compute server (server.ts) and the Python course server
(bench/course_server.py) on 127.0.0.1, puts the same load through both, and
prints a table with both figures and the ratio. --quick: shorter phases.
--only picks sections (letters a-g). --gap is passed to our server.`;

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
