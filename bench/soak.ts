/**
 * `deno task soak`: starts the compute server (Task 2) and the grading
 * server (Task 1, on a temporary database) as their own processes on
 * 127.0.0.1, runs 1,000 well-formed Task 2 clients, 200 Task 1 sessions and
 * a mix of malformed clients against them at the same time, and reports
 * errors among the well-formed clients by kind, how each malformed client
 * ended, each server's peak RSS and the duration. Exit code 0 only when the
 * well-formed clients had no error. See bench/README.md, "Soak".
 *
 * @module
 */

import { createProgress, type Flag, flag, onInterrupt, readCommandLine } from "../lib/cli/mod.ts";
import { fileURLToPath } from "node:url";
import { ScoreStore } from "@cs341/practice2/scores";
import { killAll, loadAverage, type ServerProcess, startServer } from "./processes.ts";
import { formatCounts, runSoak, type SoakCounts } from "./soak_run.ts";
import {
  formatSoakReport,
  openFilesLimit,
  type ServerMemory,
  soakReportJson,
  statusKiB,
} from "./soak_report.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const whole = (description: string, fallback: number, max = 10_000_000): Flag<number> =>
  flag.integer({ description, min: 0, max, default: fallback });

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

/** RSS now and at its peak; undefined when the process is gone (or a zombie). */
async function memoryKiB(pid: number): Promise<{ rss: number; peak: number } | undefined> {
  let status;
  try {
    status = await Deno.readTextFile(`/proc/${pid}/status`);
  } catch {
    return undefined;
  }
  if (/^State:\s+Z/m.test(status)) return undefined;
  return { rss: statusKiB(status, "VmRSS"), peak: statusKiB(status, "VmHWM") };
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
    console.error(
      `The open-file limit is ${limits.soft} (hard ${limits.hard}); the soak needs about ${needed}. ` +
        `Raise the hard limit (\`ulimit -Hn\`, as root) or ask for fewer clients.`,
    );
    return 2;
  }

  // Progress: a line per stage, and the counts on a live line on a terminal.
  const progress = createProgress();
  const log = (line: string) => progress.stage(line);
  const dir = await Deno.makeTempDir({ prefix: "cs341_soak_" });
  const db = `${dir}/soak.db`;
  const servers: ServerProcess[] = [];
  const cleanUp = () => {
    killAll();
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch (error) {
      console.error(`Could not remove ${dir}: ${error}`);
    }
  };
  const onSignal = () => {
    cleanUp();
    Deno.exit(130);
  };
  // Ctrl-C: what was measured so far, then the servers are stopped.
  let sofar: SoakCounts | undefined;
  using _interrupt = onInterrupt(() => {
    progress.done();
    cleanUp();
    if (sofar === undefined) return "Interrupted before the clients started";
    const kinds = sofar.errors.map((e) => `\n  ${e.count} ${e.label}`).join("");
    return `Interrupted; the soak so far: ${formatCounts(sofar)}${kinds}`;
  });
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    const deno = Deno.execPath();
    const run = [
      "run",
      "--allow-net",
      "--allow-read",
      "--allow-write",
      "--allow-sys=setPriority",
      "server.ts",
    ];
    const host = "--host=127.0.0.1";
    servers.push(await startServer("Task 2", deno, [...run, host, "--port=0"], ROOT));
    servers.push(
      await startServer("Task 1", deno, [...run, "--task=1", host, "--port=0", `--db=${db}`], ROOT),
    );
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
    const memory: ServerMemory[] = [];
    for (const [i, server] of servers.entries()) {
      const now = await memoryKiB(server.pid);
      if (now === undefined) {
        result.errors.add(
          `${server.label} server-exited`,
          `pid ${server.pid} exited during the soak`,
        );
      }
      const { rss, peak } = now ?? { rss: NaN, peak: NaN };
      memory.push({ label: server.label, idleKiB: idle[i]!, endKiB: rss, peakKiB: peak });
    }
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
    for (const server of servers) await server.stop();
    Deno.removeSignalListener("SIGTERM", onSignal);
    await Deno.remove(dir, { recursive: true }).catch((error) =>
      console.error(`Could not remove ${dir}: ${error}`)
    );
  }
}

if (import.meta.main) Deno.exit(await soakMain(Deno.args));
