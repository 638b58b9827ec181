/**
 * `deno task demo`: both tasks on loopback, each server with its client,
 * then both scores. Exit code 0 only when both are full marks.
 *
 * @module
 */

import type { Command } from "../lib/cli/flags.ts";
import { runCommand, runMain } from "../lib/cli/main.ts";
import { demoTask1 } from "./demo_task1.ts";
import { demoTask2 } from "./demo_task2.ts";

/**
 * Runs both demos, prints their output and a summary, and returns the exit
 * code: 0 when Task 1 scored 50/50 and Task 2 40/40.
 *
 * @example
 * ```ts
 * import { demo } from "./demo.ts";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * assert.equal(await demo((line) => lines.push(line)), 0);
 * assert.deepEqual(lines.slice(-2), ["Task 1 score: 50/50", "Task 2 score: 40/40"]);
 * ```
 */
export async function demo(print: (line: string) => void = console.log): Promise<number> {
  const task1 = await demoTask1(print);
  print("");
  const task2 = await demoTask2(print);
  print("");
  print(`Task 1 score: ${task1}/50`);
  print(`Task 2 score: ${task2}/40`);
  return task1 === 50 && task2 === 40 ? 0 : 1;
}

/** `deno task demo`'s command line: no flags beyond `--help` and `--version`. */
export const DEMO_COMMAND: Command<Record<never, never>> = {
  usage: "demo [--help] [--version]",
  summary: "Runs both tasks on loopback (each server with its client) and prints both scores. " +
    "Exits 0 only when Task 1 scores 50/50 and Task 2 40/40.",
  flags: {},
  examples: ["deno task demo"],
};

if (import.meta.main) await runMain(() => runCommand(DEMO_COMMAND, Deno.args, () => demo()));
