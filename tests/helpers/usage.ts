/** Test helpers: a program main's usage errors and --help, in process. */

import assert from "node:assert/strict";
import { UsageError } from "../../lib/cli/usage_error.ts";

/**
 * Awaits a program main that must reject with a {@linkcode UsageError}
 * (which `runMain` turns into exit code 2) and returns the line the
 * program prints first: `error: <message>`.
 */
export async function usageLine(run: Promise<number>): Promise<string> {
  try {
    const code = await run;
    assert.fail(`no usage error; the run ended with exit code ${code}`);
  } catch (error) {
    assert.ok(error instanceof UsageError, `not a usage error: ${error}`);
    return `error: ${error.message}`;
  }
}

/**
 * A role's `--help` run in process, its lines joined (the programs' own
 * `--help` runs, as processes, are in tests/tools/help_test.ts).
 */
export async function helpText(
  main: (args: string[], print: (line: string) => void) => Promise<number>,
): Promise<{ code: number; stdout: string }> {
  const lines: string[] = [];
  const code = await main(["--help"], (line) => lines.push(line));
  return { code, stdout: lines.join("\n") };
}
