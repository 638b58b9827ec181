/** Test helpers: the Python student programs under tests/fixtures/students/. */

import { fileURLToPath } from "node:url";
import { pythonCommand } from "../../lib/cli/grade/python.ts";

/** The folder of the student programs, as a platform path. */
export const STUDENTS: string = fileURLToPath(new URL("../fixtures/students/", import.meta.url));

/**
 * The Python interpreter the tests run: `python3` resolved once to its
 * executable (a pyenv shim costs ~25 shell processes per start).
 */
export const PYTHON: string = await pythonCommand();

/** Whether `python3` runs here; tests of the student programs are ignored without it. */
export const HAS_PYTHON: boolean = await new Deno.Command(PYTHON, {
  args: ["--version"],
  stdout: "null",
  stderr: "null",
}).output().then((output) => output.success, () => false);

/** Runs a student program to its end (at most 60 s), stdin closed; what it printed. */
export async function runStudent(
  file: string,
  ...args: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = await new Deno.Command(PYTHON, {
    args: [file, ...args],
    cwd: STUDENTS,
    stdin: "null",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}
