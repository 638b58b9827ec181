/** Test helpers: temporary directories, free ports, and child processes. */

import { fileURLToPath } from "node:url";

/** What a finished process printed, and its exit code. */
export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
}

/** Every child started here that has not exited yet, for {@linkcode killAll}. */
const live = new Set<Deno.ChildProcess>();

function track(child: Deno.ChildProcess): Promise<Deno.CommandStatus> {
  live.add(child);
  return child.status.finally(() => live.delete(child));
}

function kill(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch {
    // It exited meanwhile.
  }
}

/** Sends SIGKILL to every child still running (for an abrupt exit, such as Ctrl-C in a bench). */
export function killAll(): void {
  for (const child of live) kill(child, "SIGKILL");
}

/** A temporary directory, removed with its contents on dispose. */
export async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "cs341_test_" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/** A loopback port nothing listens on right now. */
export function freePort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return listener.addr.port;
}

/**
 * Runs `command args` in `cwd` to the end, stdin closed; with `limitMs`, kills
 * it (SIGKILL) at that limit and says `timedOut`. A command that cannot start
 * finishes with code 127 and the reason on stderr.
 */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; limitMs?: number } = {},
): Promise<Finished & { timedOut: boolean; wallMs: number }> {
  const { limitMs, ...spawn } = options;
  const started = performance.now();
  let child;
  try {
    child = new Deno.Command(command, {
      args: [...args],
      ...spawn,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    })
      .spawn();
  } catch (error) {
    return { code: 127, stdout: "", stderr: String(error), timedOut: false, wallMs: 0 };
  }
  let timedOut = false;
  const timer = limitMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    kill(child, "SIGKILL");
  }, limitMs);
  const [stdout, stderr, { code }] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    track(child),
  ]);
  clearTimeout(timer);
  return { code, stdout, stderr, timedOut, wallMs: performance.now() - started };
}

/** The project root, as a platform path. */
export const ROOT: string = fileURLToPath(new URL("../..", import.meta.url));

/** The permissions the programs run with under `deno task`. */
const RUN_FLAGS = [
  "run",
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-sys=setPriority",
];

/**
 * The command line that runs one of the project's programs (`client.ts`,
 * `server.ts`, ...) with the permissions it has under `deno task`, for
 * {@linkcode runToEnd} or {@linkcode startServer} with `cwd` {@linkcode ROOT}.
 */
export function programCommand(file: string, ...args: string[]): [string, string[]] {
  return [Deno.execPath(), [...RUN_FLAGS, file, ...args]];
}

/** Runs one of the project's programs (`client.ts`, `server.ts`, ...) to the end. */
export function runProgram(file: string, ...args: string[]): Promise<Finished> {
  return runToEnd(...programCommand(file, ...args), { cwd: ROOT });
}

/** A server process started by {@linkcode startServer}; dispose it to stop it. */
export interface StartedServer extends AsyncDisposable {
  /** The port it named in its first line. */
  port: number;
  /** The process, to signal. */
  child: Deno.ChildProcess;
  /** Everything it printed, and its exit code, once it has exited by itself. */
  output: Promise<Finished>;
  /** Sends SIGTERM unless it has exited (SIGKILL 3 s later), and resolves what it printed. */
  stop(): Promise<Finished>;
}

/** How long a server may take to print its first line. */
const START_LIMIT_MS = 30_000;

/**
 * Starts a server program, `command args` in `cwd` (`server.ts` through
 * {@linkcode programCommand}, or a compiled binary), and resolves once its
 * first line of output names the port it listens on ("... listening on port
 * N ..."); give it `--port=0` to have the system choose a free one. Rejects,
 * with what it printed, if it exits first, its first line names no port, or
 * it prints nothing for 30 s. With `discardStdout` (bench and soak, whose
 * servers log every request for minutes) its stdout after the first line is
 * read and thrown away, and `output.stdout` is empty.
 */
export async function startServer(
  command: string,
  args: readonly string[],
  cwd: string = ROOT,
  { discardStdout = false }: { discardStdout?: boolean } = {},
): Promise<StartedServer> {
  const child = new Deno.Command(command, {
    args: [...args],
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const [banner, all] = child.stdout.tee();
  let exited = false;
  const status = track(child).then((status) => {
    exited = true;
    return status;
  });
  const output: Promise<Finished> = Promise.all([
    status,
    discardStdout ? discard(all) : new Response(all).text(),
    new Response(child.stderr).text(),
  ]).then(([status, stdout, stderr]) => ({ code: status.code, stdout, stderr }));
  const stop = async () => {
    if (exited) return output;
    kill(child, "SIGTERM");
    const timer = setTimeout(() => kill(child, "SIGKILL"), 3000);
    return await output.finally(() => clearTimeout(timer));
  };
  const line = await firstLine(banner);
  const port = /listening on port (\d+)/.exec(line ?? "")?.[1];
  if (line !== undefined && port !== undefined) {
    return {
      port: Number(port),
      child,
      output,
      stop,
      async [Symbol.asyncDispose]() {
        await stop();
      },
    };
  }
  const ended = await stop();
  const why = line === undefined
    ? "did not start (exited, or printed nothing for 30 s)"
    : "did not name a port in its first line";
  throw new Error(`${command} ${args.join(" ")} ${why}:\n${ended.stdout}${ended.stderr}`);
}

/** Reads `stream` to its end, keeping nothing; resolves "". */
async function discard(stream: ReadableStream<Uint8Array>): Promise<string> {
  for await (const _ of stream) {
    // Thrown away: only the end matters.
  }
  return "";
}

/**
 * The first line of `stream`, or `undefined` if it ends (or stays silent for
 * {@linkcode START_LIMIT_MS}) before a newline. Cancels `stream` either way.
 */
async function firstLine(stream: ReadableStream<Uint8Array>): Promise<string | undefined> {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silent = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), START_LIMIT_MS);
  });
  let text = "";
  try {
    while (!text.includes("\n")) {
      const chunk = await Promise.race([reader.read(), silent]);
      if (chunk === undefined || chunk.done) return undefined;
      text += chunk.value;
    }
    return text.slice(0, text.indexOf("\n"));
  } finally {
    clearTimeout(timer);
    // Only this branch of the tee: the other still gets everything.
    await reader.cancel();
  }
}
