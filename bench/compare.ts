/**
 * `deno task bench:compare`: our compute server (server.ts) side by side with
 * the Python course server and a native floor in the same run, on 127.0.0.1
 * only, and a table with the figures and their ratios. bench/README.md says
 * what each section (a-g) measures.
 *
 * @module
 */

import { onInterrupt, runMain } from "../lib/cli/mod.ts";
import { programCommand, ROOT } from "../tests/helpers/processes.ts";
import {
  killAll,
  loadAverage,
  type MachineInfo,
  machineInfo,
  runCommand,
  type ServerProcess,
  startServer,
} from "./processes.ts";
import { describeRatio, formatFigure, formatTable } from "./report.ts";
import {
  addRow,
  type Config,
  type Context,
  progress,
  readConfig,
  type Row,
  withClients,
} from "./compare_context.ts";
import {
  sectionA,
  sectionB,
  sectionC,
  sectionD,
  sectionE,
  sectionG,
  sectionH,
} from "./compare_sections.ts";
import { sectionF } from "./compare_bignum.ts";

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
  const cell = (value: number | null | undefined, text?: string) =>
    text ?? (value === undefined ? "" : value === null ? "-" : formatFigure(value));
  const header = ["", "measure", "ours", "baseline", "base is", "ours vs base", "native"];
  return formatTable(
    [...header, "ours / native"],
    rows.map((row) => [
      ...[
        row.section,
        row.metric,
        cell(row.ours, row.oursText),
        cell(row.baseline, row.baselineText),
      ],
      row.baselineName,
      describeRatio(row.ours ?? NaN, row.baseline ?? NaN, row.better, row.noise),
      cell(row.floor),
      row.floor ? `${formatFigure((row.ours ?? NaN) / row.floor)}x` : "",
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
  ["h", sectionH],
];

/**
 * The native floor server, bench/native/epoll_server.c, compiled with
 * `cc -O2` into a temporary directory and started; undefined (with a note)
 * when there is no C compiler or it fails.
 */
async function startNative(context: Context): Promise<ServerProcess | undefined> {
  const dir = await Deno.makeTempDir({ prefix: "bench-native-" });
  const binary = `${dir}/epoll_server`;
  const source = `${ROOT}bench/native/epoll_server.c`;
  const built = await runCommand("cc", ["-O2", "-o", binary, source], { limitMs: 60_000 });
  if (built.code !== 0) {
    await Deno.remove(dir, { recursive: true });
    const why = built.code === 127 ? "no 'cc' on PATH" : built.stderr.trim().slice(0, 200);
    context.notes.push(`a: native floor column left empty: could not compile ${source}: ${why}`);
    return undefined;
  }
  const server = await startServer("native", binary, ["0"], ROOT);
  const stop = server.stop;
  server.stop = () => stop().finally(() => Deno.remove(dir, { recursive: true }));
  return server;
}

async function main(args: string[]): Promise<number> {
  const config = readConfig(args);
  if (typeof config === "number") return config;
  const machine = await machineInfo(config.python);
  console.log(renderHeader(machine, config, args));
  const context: Context = { config, rows: [], notes: [] };
  // Ctrl-C: what was measured so far, then exit.
  using _interrupt = onInterrupt(() => {
    killAll();
    const sofar = context.rows.length === 0
      ? "nothing measured yet"
      : `measured so far:\n${renderRows(context.rows)}`;
    return `\nInterrupted; ${sofar}`;
  });
  try {
    // Every section uses the servers (f times its two largest cases through ours).
    {
      progress("starting our server, the Python course server and the native floor server");
      const ours = programCommand("server.ts", "--host=127.0.0.1", "--port=0", ...config.gap);
      context.ours = await startServer("ours", ...ours, ROOT);
      const python = ["bench/course_server.py", "--host=127.0.0.1", "--port=0"];
      context.python = await startServer("Python", config.python, python, ROOT);
      // Memory at rest: just started, before any client.
      if (config.only.has("g")) {
        const [ours, python] = [await context.ours.rssKiB(), await context.python.rssKiB()];
        const metric: [string, string, string] = ["g", "server RSS at rest (just started)", "MiB"];
        addRow(context, metric, "lower", "Python", [ours / 1024, python / 1024]);
      }
      // Steady state: one client first, so that each server has started what
      // it starts lazily (our listener threads) before anything is measured.
      await withClients(context.ours, 1, "Warm", () => Promise.resolve());
      await withClients(context.python, 1, "Warm", () => Promise.resolve());
      context.native = await startNative(context);
      await new Promise((resolve) => setTimeout(resolve, 500));
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
    await Promise.all([context.ours?.stop(), context.python?.stop(), context.native?.stop()]);
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
    const results = {
      machine,
      args,
      config: { ...config, only: [...config.only] },
      rows,
      notes: context.notes,
    };
    await Deno.writeTextFile(config.json, JSON.stringify(results, null, 2) + "\n");
    console.log(`\nresults written to ${config.json}`);
  }
  return context.notes.some((note) => / failed: /.test(note)) ? 1 : 0;
}

if (import.meta.main) {
  // runMain prints a usage error as every program does (exit code 2).
  await runMain(() => main(Deno.args));
  Deno.exit();
}
