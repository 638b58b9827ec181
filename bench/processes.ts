/**
 * Child processes for bench/compare.ts: the two servers (started, their port
 * read from their first line, their output drained, their RSS read from
 * /proc, stopped), one-shot commands with a time limit, and what the machine
 * is. Every process started here is remembered until it has exited, so
 * {@linkcode killAll} can stop them on Ctrl+C.
 *
 * @module
 */

const decoder = new TextDecoder();
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
 * Starts `command args` in `cwd` and waits (up to `startMs`) for a stdout
 * line matching `listening on port N`. Its output keeps being read and thrown
 * away so that logging never blocks it; the last lines are kept for errors.
 */
export async function startServer(
  label: string,
  command: string,
  args: readonly string[],
  cwd: string,
  startMs = 20_000,
): Promise<ServerProcess> {
  const child = new Deno.Command(command, {
    args: [...args],
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const status = track(child);
  let exited = false;
  status.then(() => exited = true, () => exited = true);
  const tail: string[] = [];
  const remember = (text: string) => {
    tail.push(text);
    if (tail.length > 20) tail.shift();
  };
  const { promise: portFound, resolve: foundPort } = Promise.withResolvers<number>();
  const drained = Promise.all([
    (async () => {
      let pending = "";
      let found = false;
      for await (const chunk of child.stdout) {
        if (found) continue;
        pending += decoder.decode(chunk);
        const match = /listening on port (\d+)/.exec(pending);
        if (match) {
          found = true;
          foundPort(Number(match[1]));
        } else if (pending.length > 100_000) {
          pending = pending.slice(-1000);
        }
      }
    })(),
    (async () => {
      for await (const chunk of child.stderr) remember(decoder.decode(chunk));
    })(),
  ]);
  const stop = async () => {
    if (!exited) {
      try {
        child.kill("SIGTERM");
      } catch {
        // It exited meanwhile.
      }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch {
          // It exited meanwhile.
        }
      }, 3000);
      await status;
      clearTimeout(timer);
    }
    await drained.catch(() => {});
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const port = await Promise.race([
    portFound,
    status.then(() => undefined),
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), startMs);
    }),
  ]);
  clearTimeout(timer);
  if (port === undefined) {
    await stop();
    throw new Error(
      `${label} (${command} ${args.join(" ")}) did not print its port within ${startMs} ms:\n` +
        tail.join(""),
    );
  }
  return {
    label,
    port,
    pid: child.pid,
    rssKiB: () => rssKiB(child.pid),
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/** VmRSS of process `pid` in KiB, from /proc/PID/status. */
export async function rssKiB(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]);
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
