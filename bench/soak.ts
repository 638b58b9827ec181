/**
 * `deno task soak`: starts the compute server (Task 2) and the grading
 * server (Task 1, on a temporary database) as their own processes on
 * 127.0.0.1, runs 1,000 well-formed Task 2 clients, 200 Task 1 sessions and
 * a mix of malformed clients against them at the same time, and reports
 * errors among the well-formed clients by kind, how each malformed client
 * ended, each server's peak RSS and the duration. Exit code 0 only when the
 * well-formed clients had no error. See bench/README.md, "Soak". The
 * report's text and JSON, and the /proc readings, are here too.
 *
 * @module
 */

import { createProgress, type Flag, flag, onInterrupt, readCommandLine } from "../lib/cli/mod.ts";
import { ScoreStore } from "@cs341/practice2/scores";
import { programCommand, ROOT, tempDir } from "../tests/helpers/processes.ts";
import { killAll, loadAverage, memoryKiB, type ServerProcess, startServer } from "./processes.ts";
import {
  formatCounts,
  type GroupResult,
  runSoak,
  type SoakCounts,
  type SoakResult,
} from "./soak_run.ts";
import { countFlag, formatFigure, formatTable } from "./report.ts";

const whole = (description: string, fallback: number): Flag<number> =>
  countFlag(description, fallback, 10_000_000, 0);

const SOAK_COMMAND = {
  usage: "deno task soak [flags]",
  program: "soak",
  summary:
    "Starts server.ts (Task 2) and server.ts --task=1 (temporary database) on 127.0.0.1 and runs, all at the same time: --task2-clients well-formed Task 2 clients (all connected before any request), --task1-sessions decryption sessions (every --submit-every-th one submits), and --malformed malformed clients (garbage, bad headers, truncated packets, slowloris, silence, bad keywords and numbers, oversize FILE, abrupt closes), whose slow and silent kinds hold their connection --seconds. Then one fresh client per server. --timeout bounds every single wait (ms), --limit the whole run (s); --pause is the pause between a keyword and its number, --gap the server's quiet gap (the client waits gap + 30 ms after a FILE length). --json prints JSON instead of the table. Exit code: 0 when no well-formed client failed, 1 otherwise, 2 for a usage error or a setup failure.",
  flags: {
    "task2-clients": whole("Well-formed Task 2 clients, all connected before any request", 1000),
    "task1-sessions": whole("Task 1 decryption sessions", 200),
    malformed: whole("Malformed clients (garbage, bad headers, slowloris, silence...)", 150),
    seconds: whole("How long the slow and silent kinds hold their connection, s", 10),
    limit: whole("Bound on the whole run, s", 600),
    timeout: whole("Bound on every single wait, ms", 60_000),
    pause: whole("Pause between a keyword and its number, ms", 20),
    gap: whole("The server's quiet gap, ms", 50),
    "submit-every": whole("Every Nth Task 1 session submits", 5),
    "max-file": whole("Largest FILE body a client sends, bytes", 32 * 1024),
    seed: whole("Seed of the random choices", 341),
    json: flag.switch({ description: "Print JSON instead of the table" }),
  },
  examples: ["deno task soak --task2-clients=200 --seconds=5"],
};

/** The soft and hard "Max open files" of /proc/PID/limits (Infinity for unlimited). */
export function openFilesLimit(limits: string): { soft: number; hard: number } | undefined {
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  if (!match) return undefined;
  const value = (text: string) => text === "unlimited" ? Infinity : Number(text);
  const soft = value(match[1]!);
  const hard = value(match[2]!);
  return Number.isNaN(soft) || Number.isNaN(hard) ? undefined : { soft, hard };
}

/** A server's memory, in KiB. */
export interface ServerMemory {
  label: string;
  idleKiB: number;
  endKiB: number;
  peakKiB: number;
}

/** The whole report: the result plus figures measured around it. */
export interface SoakReport {
  result: SoakResult;
  servers: ServerMemory[];
  loadStart: string;
  loadEnd: string;
  settings: Record<string, number | string>;
}

/** A label/count table with each row's example, left-aligned, after it. */
function withExamples(
  header: [string, string],
  entries: readonly { label: string; count: number; example: string }[],
): string {
  const table = formatTable(header, entries.map((e) => [e.label, String(e.count)])).split("\n");
  return table.map((line, i) => {
    if (i === 0) return `${line}  first example`;
    const example = i >= 2 ? entries[i - 2]!.example : "";
    return example === "" ? line : `${line}  ${example}`;
  }).join("\n");
}

const mib = (kib: number) => `${formatFigure(kib / 1024)} MiB`;

/** The report as aligned plain text. */
export function formatSoakReport(report: SoakReport): string {
  const { result } = report;
  const settings = Object.entries(report.settings).map(([key, value]) => `${key}=${value}`);
  const duration = `Duration ${formatFigure(result.durationMs / 1000)} s`;
  const group = (label: string, g: GroupResult) => [
    label,
    ...[g.clients, g.ok, g.clients - g.ok, g.peakOpen].map(String),
    ...[g.ms.p50, g.ms.p99, g.ms.max, g.doneMs].map(formatFigure),
  ];
  const header = ["well-formed", "clients", "ok", "failed", "peak open", "p50 ms", "p99 ms"];
  const { errors, malformed } = result;
  const lines = [
    `Soak: ${settings.join(" ")}`,
    `${duration}${result.capped ? " (cut at limit)" : ""}; ` +
    `load average ${report.loadStart} at start, ${report.loadEnd} at end`,
    "",
    formatTable([...header, "max ms", "done ms"], [
      group("Task 2 clients", result.task2),
      group("  fresh, alone", result.freshTask2),
      group("Task 1 sessions", result.task1),
      group("  fresh, alone", result.freshTask1),
    ]),
    "(Task 2 times run from the moment all clients were connected; done: last one ended)",
    "",
    `Errors among well-formed clients: ${errors.total}`,
    ...(errors.total === 0 ? [] : [withExamples(["group kind", "count"], errors.entries())]),
    "",
    `Malformed clients: ${malformed.total} (peak open ${result.malformedPeakOpen}), ` +
    `${result.unexpected} with an unexpected outcome`,
    withExamples(["kind: outcome", "count"], malformed.entries()),
  ];
  if (report.servers.length > 0) {
    const rows = report.servers.map((
      s,
    ) => [s.label, mib(s.idleKiB), mib(s.endKiB), mib(s.peakKiB)]);
    lines.push("", formatTable(["server", "RSS idle", "RSS end", "peak RSS (VmHWM)"], rows));
  }
  return lines.join("\n");
}

/** The report as a plain object for `--json`: each tally as its total and its entries. */
export function soakReportJson(report: SoakReport): unknown {
  const tally = (t: SoakResult["errors"]) => ({ total: t.total, entries: t.entries() });
  const { errors, malformed, durationMs, ...rest } = report.result;
  const result = {
    ...rest,
    durationMs: Math.round(durationMs),
    errors: tally(errors),
    malformed: tally(malformed),
  };
  return { ...report, result };
}

/** Runs the soak with command-line `args`; returns the exit code. */
export async function soakMain(args: string[]): Promise<number> {
  const values = readCommandLine(SOAK_COMMAND, args);
  if (typeof values === "number") return values;
  const settings = {
    task2Clients: values["task2-clients"],
    task1Sessions: values["task1-sessions"],
    malformed: values.malformed,
    holdMs: values.seconds * 1000,
    limitMs: values.limit * 1000,
    timeoutMs: values.timeout,
    pauseMs: values.pause,
    gapMs: values.gap,
    submitEvery: values["submit-every"],
    maxFileBytes: Math.max(1, values["max-file"]),
    seed: values.seed,
  };

  // Each client is one socket here and one in a server; allow for the rest.
  const needed = settings.task2Clients + settings.task1Sessions + settings.malformed + 200;
  const limits = openFilesLimit(await Deno.readTextFile("/proc/self/limits").catch(() => ""));
  // Deno raises its soft limit to the hard one when it starts, so the soft
  // limit seen here is already as high as it gets (the servers' too).
  if (limits && limits.soft < needed) {
    const fix = "Raise the hard limit (`ulimit -Hn`, as root) or ask for fewer clients.";
    const limit = `The open-file limit is ${limits.soft} (hard ${limits.hard})`;
    console.error(`${limit}; the soak needs about ${needed}. ${fix}`);
    return 2;
  }

  // Progress: a line per stage, and the counts on a live line on a terminal.
  const progress = createProgress();
  const log = (line: string) => progress.stage(line);
  await using dir = await tempDir();
  const servers: ServerProcess[] = [];
  // Ctrl-C (what was measured so far is printed) or SIGTERM: the servers are
  // killed and the folder removed before the exit.
  const abandon = () => {
    progress.done();
    killAll();
    Deno.removeSync(dir.path, { recursive: true });
  };
  let sofar: SoakCounts | undefined;
  using _interrupt = onInterrupt(() => {
    abandon();
    if (sofar === undefined) return "Interrupted before the clients started";
    const kinds = sofar.errors.map((e) => `\n  ${e.count} ${e.label}`).join("");
    return `Interrupted; the soak so far: ${formatCounts(sofar)}${kinds}`;
  });
  const onTerm = () => {
    abandon();
    Deno.exit(143);
  };
  Deno.addSignalListener("SIGTERM", onTerm);
  try {
    const start = (label: string, ...flags: string[]) => {
      const args = ["--host=127.0.0.1", "--port=0", ...flags];
      return startServer(label, ...programCommand("server.ts", ...args), ROOT);
    };
    const db = `${dir.path}/soak.db`;
    servers.push(await start("Task 2"), await start("Task 1", "--task=1", `--db=${db}`));
    const [task2, task1] = servers as [ServerProcess, ServerProcess];
    log(
      `Task 2 server on port ${task2.port} (pid ${task2.pid}), Task 1 on ${task1.port} (pid ${task1.pid})`,
    );
    const idle = await Promise.all(servers.map((s) => s.rssKiB()));
    const loadStart = await loadAverage();
    await using store = await ScoreStore.open(db);
    const result = await runSoak({
      ...settings,
      task2Port: task2.port,
      task1Port: task1.port,
      trickleMs: 300,
      bodyPauseMs: settings.gapMs + 30,
      isStored: async (sid) => await store.best(sid, 1) === 50,
      progress: log,
      onCounts: (counts) => {
        sofar = counts;
        progress.update(formatCounts(counts));
      },
    });
    progress.done();
    const loadEnd = await loadAverage();
    const memory = await Promise.all(servers.map(async (server, i): Promise<ServerMemory> => {
      const { label, pid } = server;
      const now = await memoryKiB(pid);
      if (!now) result.errors.add(`${label} server-exited`, `pid ${pid} exited during the soak`);
      return { label, idleKiB: idle[i]!, endKiB: now?.rss ?? NaN, peakKiB: now?.peak ?? NaN };
    }));
    const report = {
      result,
      servers: memory,
      loadStart,
      loadEnd,
      settings: { ...settings, nproc: navigator.hardwareConcurrency },
    };
    console.log(
      values.json ? JSON.stringify(soakReportJson(report), null, 2) : formatSoakReport(report),
    );
    return result.errors.total === 0 ? 0 : 1;
  } catch (error) {
    console.error(`Soak failed: ${error instanceof Error ? error.stack : error}`);
    return 2;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    Deno.removeSignalListener("SIGTERM", onTerm);
  }
}

if (import.meta.main) Deno.exit(await soakMain(Deno.args));
