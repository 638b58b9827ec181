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

import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { ScoreStore } from "@cs341/practice2/scores";
import { killAll, loadAverage, type ServerProcess, startServer } from "./processes.ts";
import { runSoak } from "./soak_run.ts";
import {
  formatSoakReport,
  openFilesLimit,
  type ServerMemory,
  soakReportJson,
  statusKiB,
} from "./soak_report.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const USAGE = `deno task soak [--task2-clients=1000] [--task1-sessions=200] [--malformed=150]
  [--seconds=10] [--limit=600] [--timeout=60000] [--pause=20] [--gap=50]
  [--submit-every=5] [--max-file=32768] [--seed=341] [--json]

Starts server.ts (Task 2) and server.ts --task=1 (temporary database) on
127.0.0.1 and runs, all at the same time: --task2-clients well-formed Task 2
clients (all connected before any request), --task1-sessions decryption
sessions (every --submit-every-th one submits), and --malformed malformed
clients (garbage, bad headers, truncated packets, slowloris, silence, bad
keywords and numbers, oversize FILE, abrupt closes), whose slow and silent
kinds hold their connection --seconds. Then one fresh client per server.
--timeout bounds every single wait (ms), --limit the whole run (s); --pause is
the pause between a keyword and its number, --gap the server's quiet gap (the
client waits gap + 30 ms after a FILE length). --json prints JSON instead of
the table. Exit code: 0 when no well-formed client failed, 1 otherwise, 2 for
a usage error or a setup failure.`;

function integer(values: Record<string, unknown>, name: string, fallback: number): number {
  const text = values[name];
  if (text === undefined) return fallback;
  const value = Number(text);
  if (typeof text !== "string" || !/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    throw new TypeError(`--${name} must be a whole number, got '${text}'`);
  }
  return value;
}

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
  let values;
  let settings;
  try {
    values = parseArgs({
      args,
      strict: true,
      options: {
        help: { type: "boolean", short: "h" },
        json: { type: "boolean" },
        ...Object.fromEntries(
          [
            "task2-clients",
            "task1-sessions",
            "malformed",
            "seconds",
            "limit",
            "timeout",
            "pause",
            "gap",
            "submit-every",
            "max-file",
            "seed",
          ].map((name) => [name, { type: "string" as const }]),
        ),
      },
    }).values;
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    settings = {
      task2Clients: integer(values, "task2-clients", 1000),
      task1Sessions: integer(values, "task1-sessions", 200),
      malformed: integer(values, "malformed", 150),
      holdMs: integer(values, "seconds", 10) * 1000,
      limitMs: integer(values, "limit", 600) * 1000,
      timeoutMs: integer(values, "timeout", 60_000),
      pauseMs: integer(values, "pause", 20),
      gapMs: integer(values, "gap", 50),
      submitEvery: integer(values, "submit-every", 5),
      maxFileBytes: Math.max(1, integer(values, "max-file", 32 * 1024)),
      seed: integer(values, "seed", 341),
    };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : error}\n\n${USAGE}`);
    return 2;
  }

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

  const log = (line: string) => console.error(`.. ${line}`);
  const dir = await Deno.makeTempDir({ prefix: "cs341_soak_" });
  const db = `${dir}/soak.db`;
  const servers: ServerProcess[] = [];
  const onSignal = () => {
    killAll();
    try {
      Deno.removeSync(dir, { recursive: true });
    } catch (error) {
      console.error(`Could not remove ${dir}: ${error}`);
    }
    Deno.exit(130);
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    const deno = Deno.execPath();
    const run = ["run", "--allow-net", "--allow-read", "--allow-write", "server.ts"];
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
    });
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
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
    await Deno.remove(dir, { recursive: true }).catch((error) =>
      console.error(`Could not remove ${dir}: ${error}`)
    );
  }
}

if (import.meta.main) Deno.exit(await soakMain(Deno.args));
