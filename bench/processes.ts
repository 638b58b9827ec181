/**
 * What the bench and the soak add to the test suite's process harness
 * (tests/helpers/processes.ts): a server with a label and its memory read
 * from /proc, and what the machine is.
 *
 * @module
 */

import { runToEnd, startServer as startHarnessServer } from "../tests/helpers/processes.ts";

export { killAll, runToEnd as runCommand } from "../tests/helpers/processes.ts";

/** A server process that printed `... listening on port N`; dispose it to stop it. */
export interface ServerProcess extends AsyncDisposable {
  /** What to call it in the output. */
  label: string;
  /** The port it listens on (127.0.0.1). */
  port: number;
  /** Its process id. */
  pid: number;
  /** Its resident set size now, in KiB (VmRSS from /proc/PID/status). */
  rssKiB(): Promise<number>;
  /** The CPU time it has used so far, ms (utime + stime from /proc/PID/stat; NaN when unreadable). */
  cpuMs(): Promise<number>;
  /** Stops it: SIGTERM, then SIGKILL after 3 s. */
  stop(): Promise<void>;
}

/** Starts `command args` in `cwd` through the harness, its stdout read and thrown away. */
export async function startServer(
  label: string,
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<ServerProcess> {
  const server = await startHarnessServer(command, args, cwd, { discardStdout: true });
  const stop = () => server.stop().then(() => {});
  const pid = server.child.pid;
  const cpuMs = async () => {
    const fields = (await readOr(`/proc/${pid}/stat`)).split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10; // clock ticks of 10 ms
  };
  const port = server.port;
  return { label, port, pid, rssKiB: () => rssKiB(pid), cpuMs, stop, [Symbol.asyncDispose]: stop };
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
  const status = await readOr(`/proc/${pid}/status`);
  if (status === "" || /^State:\s+Z/m.test(status)) return undefined;
  return { rss: statusKiB(status, "VmRSS"), peak: statusKiB(status, "VmHWM") };
}

const readOr = (path: string) => Deno.readTextFile(path).catch(() => "");

/** The 1, 5 and 15 minute load averages from /proc/loadavg ("" when unreadable). */
export async function loadAverage(): Promise<string> {
  return (await readOr("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
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

/** Reads /proc and asks the programs for their versions. */
export async function machineInfo(python: string): Promise<MachineInfo> {
  const cpu = /^model name\s*:\s*(.*)$/m.exec(await readOr("/proc/cpuinfo"))?.[1]?.trim();
  const memKiB = Number(/^MemTotal:\s+(\d+)/m.exec(await readOr("/proc/meminfo"))?.[1] ?? NaN);
  const version = await runToEnd(python, ["--version"], { limitMs: 10_000 });
  return {
    date: new Date().toISOString(),
    nproc: navigator.hardwareConcurrency,
    cpu: cpu ?? "unknown",
    memory: Number.isFinite(memKiB) ? `${(memKiB / 1024 / 1024).toFixed(1)} GiB` : "unknown",
    kernel: `${Deno.build.os} ${Deno.osRelease()} ${Deno.build.arch}`,
    deno: `${Deno.version.deno} (V8 ${Deno.version.v8})`,
    python: `${python}: ${
      version.code === 0 ? (version.stdout + version.stderr).trim() : "not runnable"
    }`,
    loadAverage: await loadAverage(),
  };
}
