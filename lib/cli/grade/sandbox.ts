/**
 * A bounded runner for student programs: a time limit, resource limits
 * (`prlimit`: address space, processes, file size, CPU time; the process
 * limit is per user and does not bind root), a cap on the
 * output kept, a scratch directory as working directory, and its own process
 * group, killed whole at the end.
 *
 * What it does NOT do: isolate the program from the network or the file
 * system. The program runs as the grader's user and can read and write what
 * that user can, and open connections anywhere (see docs/deploy.md,
 * "Grading day"). Run grading as an unprivileged user on a machine with
 * nothing to lose.
 *
 * @module
 */

/** Limits of one run; every field has a default. */
export interface SandboxLimits {
  /** Wall-clock limit in ms; default 60 000. */
  timeMs?: number;
  /** Address space in KiB (`ulimit -v`); default 1 GiB. */
  memoryKiB?: number;
  /** Processes of the user (`ulimit -u`); default 4096. */
  processes?: number;
  /** Largest file the program may write, in KiB (`ulimit -f`); default 64 MiB. */
  fileKiB?: number;
  /** Output kept per stream, in bytes; the rest is counted and dropped. Default 64 KiB. */
  outputBytes?: number;
}

/** The defaults of {@linkcode SandboxLimits}. */
export const SANDBOX_DEFAULTS: Required<SandboxLimits> = {
  timeMs: 60_000,
  memoryKiB: 1024 * 1024,
  processes: 4096,
  fileKiB: 64 * 1024,
  outputBytes: 64 * 1024,
};

/** One program started under limits. */
export interface BoundedRun {
  /** The process id (also its process group id). */
  readonly pid: number;
  /** Output so far (capped), as text. */
  stdout(): string;
  /** Error output so far (capped), as text. */
  stderr(): string;
  /** Resolves when the program has ended (or was killed), with how. */
  readonly ended: Promise<RunEnd>;
  /** Kills the whole process group and waits for the end. */
  stop(): Promise<RunEnd>;
}

/** How a run ended. */
export interface RunEnd {
  /** Exit code (128 + signal when killed). */
  code: number;
  /** The signal that ended it, if any. */
  signal: string | null;
  /** Whether the time limit ended it. */
  timedOut: boolean;
  /** Whether {@linkcode BoundedRun.stop} ended it. */
  stopped: boolean;
  /** Bytes dropped past the output cap, both streams together. */
  droppedBytes: number;
}

class CappedText {
  readonly #chunks: Uint8Array[] = [];
  #kept = 0;
  dropped = 0;
  constructor(readonly cap: number) {}
  add(chunk: Uint8Array): void {
    const room = this.cap - this.#kept;
    if (room > 0) {
      const part = chunk.subarray(0, room);
      this.#chunks.push(part.slice());
      this.#kept += part.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(room, 0));
  }
  text(): string {
    const all = new Uint8Array(this.#kept);
    let at = 0;
    for (const chunk of this.#chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    return new TextDecoder().decode(all);
  }
}

async function drain(stream: ReadableStream<Uint8Array>, into: CappedText): Promise<void> {
  try {
    for await (const chunk of stream) into.add(chunk);
  } catch {
    // The stream ends with the process.
  }
}

/** Quotes `text` for `sh`. */
function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * Starts shell command `command` (with `args` appended, quoted) in `cwd`
 * under `limits`, in a new session (`setsid`) so that every process it
 * starts can be killed together. Stdin is closed.
 *
 * @example
 * ```ts
 * import { runBounded } from "./sandbox.ts";
 * import assert from "node:assert/strict";
 *
 * const run = runBounded("echo", ["hi"], Deno.cwd(), { timeMs: 10_000 });
 * const end = await run.ended;
 * assert.equal(end.code, 0);
 * assert.equal(run.stdout(), "hi\n");
 * ```
 */
export function runBounded(
  command: string,
  args: readonly string[],
  cwd: string,
  limits: SandboxLimits = {},
  env: Record<string, string> = {},
): BoundedRun {
  const l = { ...SANDBOX_DEFAULTS, ...limits };
  const cpuSeconds = Math.ceil(l.timeMs / 1000) + 1;
  const script = `exec ${command} ${args.map(shellQuote).join(" ")}`;
  const child = new Deno.Command("setsid", {
    args: [
      "prlimit",
      `--as=${l.memoryKiB * 1024}`,
      `--nproc=${l.processes}`,
      `--fsize=${l.fileKiB * 1024}`,
      `--cpu=${cpuSeconds}`,
      "--core=0",
      "--",
      "sh",
      "-c",
      script,
    ],
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: cwd,
      LANG: "C.UTF-8",
      PYTHONDONTWRITEBYTECODE: "1",
      PYTHONUNBUFFERED: "1",
      ...(Deno.env.get("PYENV_ROOT") ? { PYENV_ROOT: Deno.env.get("PYENV_ROOT")! } : {}),
      ...env,
    },
  }).spawn();
  const out = new CappedText(l.outputBytes);
  const err = new CappedText(l.outputBytes);
  const drained = Promise.all([drain(child.stdout, out), drain(child.stderr, err)]);
  let timedOut = false;
  let stopped = false;
  const killGroup = () => {
    try {
      Deno.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  };
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, l.timeMs);
  const ended = (async (): Promise<RunEnd> => {
    const status = await child.status;
    clearTimeout(timer);
    // Whatever the program left running in its group goes with it.
    killGroup();
    await drained;
    return {
      code: status.code,
      signal: status.signal,
      timedOut,
      stopped,
      droppedBytes: out.dropped + err.dropped,
    };
  })();
  return {
    pid: child.pid,
    stdout: () => out.text(),
    stderr: () => err.text(),
    ended,
    stop: async () => {
      stopped = true;
      killGroup();
      return await ended;
    },
  };
}
