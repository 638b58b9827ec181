/** Test helpers: temporary directories, free ports, and child processes. */

import { fileURLToPath } from "node:url";

const decoder = new TextDecoder();

/** What a finished process printed, and its exit code. */
export interface Finished {
  code: number;
  stdout: string;
  stderr: string;
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

/** Runs `command args` in `cwd` to the end, stdin closed. */
export async function runToEnd(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<Finished> {
  const output = await new Deno.Command(command, {
    args: [...args],
    ...options,
    stdin: "null",
  }).output();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/**
 * Starts a server process and resolves once 127.0.0.1:`port` accepts a
 * connection (rejecting, with what it printed, if it exits first). Dispose
 * it to kill it and wait for it and its output.
 */
export async function startServer(
  command: string,
  args: readonly string[],
  cwd: string,
  port: number,
): Promise<AsyncDisposable> {
  const child = new Deno.Command(command, {
    args: [...args],
    cwd,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  let exited = false;
  const status = child.status.then((status) => {
    exited = true;
    return status;
  });
  const stop = async () => {
    if (!exited) {
      try {
        child.kill("SIGTERM");
      } catch {
        // It exited meanwhile.
      }
    }
    await status;
    await output;
  };
  for (let attempt = 0;; attempt++) {
    try {
      using _conn = await Deno.connect({ hostname: "127.0.0.1", port });
      return { [Symbol.asyncDispose]: stop };
    } catch (error) {
      if (exited || attempt >= 300) {
        await stop();
        const [stdout, stderr] = await output;
        throw new Error(`${command} ${args.join(" ")} did not start:\n${stdout}${stderr}`, {
          cause: error,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The project root, as a platform path. */
export const ROOT: string = fileURLToPath(new URL("..", import.meta.url));

/** The permissions the programs run with under `deno task`. */
const RUN_FLAGS = ["run", "--allow-net", "--allow-read", "--allow-write"];

/** Runs one of the project's programs (`client.ts`, `server.ts`, ...) to the end. */
export function runProgram(file: string, ...args: string[]): Promise<Finished> {
  return runToEnd(Deno.execPath(), [...RUN_FLAGS, file, ...args], { cwd: ROOT });
}

/** A server program started by {@linkcode spawnProgramServer}. */
export interface SpawnedServer {
  /** The port it printed in its first line. */
  port: string;
  /** The process, to signal. */
  child: Deno.ChildProcess;
  /** Everything it printed, once it has exited. */
  output: Promise<Finished>;
}

/**
 * Starts `server.ts` with `args` (give it `--port=0`) and resolves once it
 * prints its "listening on port N" line. Await `output` after it exits.
 */
export async function spawnProgramServer(...args: string[]): Promise<SpawnedServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...RUN_FLAGS, "server.ts", ...args],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const [banner, all] = child.stdout.tee();
  const output = Promise.all([
    child.status,
    new Response(all).text(),
    new Response(child.stderr).text(),
  ]).then(([status, stdout, stderr]) => ({ code: status.code, stdout, stderr }));
  let text = "";
  for await (const chunk of banner.pipeThrough(new TextDecoderStream())) {
    text += chunk;
    const port = /listening on port (\d+)/.exec(text)?.[1];
    if (port !== undefined) {
      // Leaving the loop cancels this branch only; `all` still gets everything.
      return { port, child, output };
    }
  }
  const ended = await output;
  throw new Error(`server.ts ${args.join(" ")} did not start:\n${ended.stdout}${ended.stderr}`);
}
