/**
 * Child processes for bench/compare.ts: the two servers (started, their port
 * read from their first line, their output drained, their RSS read from
 * /proc, stopped), one-shot commands with a time limit, and what the machine
 * is. Every process started here is remembered until it has exited, so
 * {@linkcode killAll} can stop them on Ctrl+C.
 *
 * @module
 */

import { startServer as startHarnessServer } from "../tests/helpers/processes.ts";

const live = new Set<Deno.ChildProcess>();

/** Sends SIGKILL to every child still running (for an abrupt exit). */
export function killAll(): void {
  for (const child of live) {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

function track(child: Deno.ChildProcess): Promise<Deno.CommandStatus> {
  live.add(child);
  return child.status.finally(() => live.delete(child));
}

/** A server process that printed `... listening on port N`. */
export interface ServerProcess extends AsyncDisposable {
  /** What to call it in the output. */
  label: string;
  /** The port it listens on (127.0.0.1). */
  port: number;
  /** Its process id. */
  pid: number;
  /** Its resident set size now, in KiB (VmRSS from /proc/PID/status). */
  rssKiB(): Promise<number>;
  /** Stops it: SIGTERM, then SIGKILL after 3 s. */
  stop(): Promise<void>;
}

/**
 * Starts `command args` in `cwd` through the test suite's harness
 * (tests/helpers/processes.ts: waits for `listening on port N`), its stdout
 * read and thrown away so that logging never blocks it, and remembers it for
 * {@linkcode killAll}.
 */
export async function startServer(
  label: string,
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<ServerProcess> {
  const server = await startHarnessServer(command, args, cwd, { discardStdout: true });
  const { child } = server;
  const status = track(child);
  let exited = false;
  status.then(() => exited = true, () => exited = true);
  const stop = async () => {
    const timer = exited ? undefined : setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // It exited meanwhile.
      }
    }, 3000);
    await server.stop();
    clearTimeout(timer);
  };
  return {
    label,
    port: server.port,
    pid: child.pid,
    rssKiB: () => rssKiB(child.pid),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** VmRSS of process `pid` in KiB, from /proc/PID/status. */
export async function rssKiB(pid: number): Promise<number> {
  const rss = (await memoryKiB(pid))?.rss ?? NaN;
  if (Number.isNaN(rss)) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return rss;
}

/** One field (`VmHWM`, `VmRSS`, ...) of /proc/PID/status in KiB; NaN when absent. */
export function statusKiB(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(status);
  return match ? Number(match[1]) : NaN;
}

/** RSS now and at its peak, KiB; undefined when the process is gone (or a zombie). */
export async function memoryKiB(pid: number): Promise<{ rss: number; peak: number } | undefined> {
  let status;
  try {
    status = await Deno.readTextFile(`/proc/${pid}/status`);
  } catch {
    return undefined;
  }
  if (/^State:\s+Z/m.test(status)) return undefined;
  return { rss: statusKiB(status, "VmRSS"), peak: statusKiB(status, "VmHWM") };
}

/** What a finished command printed; `timedOut` when it was killed at its limit. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  wallMs: number;
}

/** Runs `command args` to the end, killing it after `limitMs`. */
export async function runCommand(
  command: string,
  args: readonly string[],
  options: { limitMs?: number; env?: Record<string, string> } = {},
): Promise<CommandResult> {
  const started = performance.now();
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(command, {
      args: [...args],
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      ...(options.env ? { env: options.env } : {}),
    }).spawn();
  } catch (error) {
    return {
      code: 127,
      stdout: "",
      stderr: String(error),
      timedOut: false,
      wallMs: performance.now() - started,
    };
  }
  const status = track(child);
  let timedOut = false;
  const timer = options.limitMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch {
      // It exited meanwhile.
    }
  }, options.limitMs);
  const [stdout, stderr, { code }] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    status,
  ]);
  clearTimeout(timer);
  return { code, stdout, stderr, timedOut, wallMs: performance.now() - started };
}

/** The machine and the programs' versions, for the top of the report. */
export interface MachineInfo {
  date: string;
  nproc: number;
  cpu: string;
  memory: string;
  kernel: string;
  deno: string;
  python: string;
  /** /proc/loadavg's 1, 5 and 15 minute load averages when the run started. */
  loadAverage: string;
}

/** The 1, 5 and 15 minute load averages from /proc/loadavg ("" when unreadable). */
export async function loadAverage(): Promise<string> {
  try {
    return (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  } catch {
    return "";
  }
}

/** Reads /proc and asks the programs for their versions. */
export async function machineInfo(python: string): Promise<MachineInfo> {
  const readOr = async (path: string) => {
    try {
      return await Deno.readTextFile(path);
    } catch {
      return "";
    }
  };
  const cpuinfo = await readOr("/proc/cpuinfo");
  const meminfo = await readOr("/proc/meminfo");
  const memKiB = Number(/^MemTotal:\s+(\d+)/m.exec(meminfo)?.[1] ?? NaN);
  const pythonVersion = await runCommand(python, ["--version"], { limitMs: 10_000 });
  return {
    date: new Date().toISOString(),
    nproc: navigator.hardwareConcurrency,
    cpu: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? "unknown",
    memory: Number.isFinite(memKiB) ? `${(memKiB / 1024 / 1024).toFixed(1)} GiB` : "unknown",
    kernel: `${Deno.build.os} ${Deno.osRelease()} ${Deno.build.arch}`,
    deno: `${Deno.version.deno} (V8 ${Deno.version.v8})`,
    python: pythonVersion.code === 0
      ? `${python}: ${(pythonVersion.stdout + pythonVersion.stderr).trim()}`
      : `${python}: not runnable`,
    loadAverage: await loadAverage(),
  };
}
