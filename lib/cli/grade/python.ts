/**
 * The Python interpreter that batch grading runs, found once.
 *
 * @module
 */

let resolved: Promise<string> | undefined;

/**
 * `python3` resolved once to the executable behind it (`sys.executable`),
 * for the many Python runs of batch grading: behind a pyenv shim every
 * start of `python3` costs some 25 shell processes and 60 ms of CPU. Falls
 * back to `python3` itself when that fails or the path would need quoting
 * in a shell command. (A student's own `--client=CMD` or `--server=CMD` is
 * run as written.)
 *
 * @example
 * ```ts
 * import { pythonCommand } from "./python.ts";
 * import assert from "node:assert/strict";
 *
 * const python = await pythonCommand();
 * assert.ok(python === "python3" || python.startsWith("/"));
 * assert.equal(await pythonCommand(), python); // found once
 * ```
 */
export function pythonCommand(): Promise<string> {
  resolved ??= new Deno.Command("python3", {
    args: ["-c", "import sys; print(sys.executable)"],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output().then((output) => {
    const path = new TextDecoder().decode(output.stdout).trim();
    return output.success && /^\/[\w./+-]+$/.test(path) ? path : "python3";
  }, () => "python3");
  return resolved;
}
