/**
 * `server grade` (`deno task grade`): checks a student's own `client.py`
 * and `server.py` in one command and prints one report card.
 *
 * @module
 */

import { type Command, flag } from "../flags.ts";
import { runCommand } from "../main.ts";
import { UsageError } from "../usage_error.ts";
import { checkClient, checkServer, formatCard, reportCard } from "./check.ts";

const FLAGS = {
  client: flag.string({
    value: "CMD",
    description: "Your Task 1 client; run with --host=127.0.0.1 --port=P --studentID=ID appended",
  }),
  server: flag.string({
    value: "CMD",
    description: "Your Task 2 server; run with --port=P appended",
  }),
  studentID: flag.studentId({
    description: "The 8-digit student id the client is run with",
    default: 20200000,
  }),
  time: flag.integer({
    value: "S",
    description: "Longest run of each program, in seconds",
    min: 1,
    max: 3600,
    default: 120,
  }),
  json: flag.switch({ description: "Print one JSON report card instead of the lines" }),
};

/** The grade command's command line. */
export const GRADE_COMMAND: Command<typeof FLAGS> = {
  usage: 'server grade --client="CMD" --server="CMD" [--studentID=ID] [--json]',
  summary: [
    "Checks your own Task 1 client and Task 2 server the way they are graded: the client",
    "against a private grading server (nothing is stored anywhere), the server under the",
    "course's test client. Prints the score item by item, what went wrong and why, and",
    "whether the client printed KEY:, Score: and Message: as the server sent them.",
    "Exit code 0 only at full marks. The programs run in the current directory, bounded",
    "in time, memory, processes, file size and output; they are NOT cut off from the",
    "network or the file system.",
  ].join("\n"),
  flags: FLAGS,
  examples: [
    'deno task grade --client="python3 client.py" --server="python3 server.py" --studentID=20200000',
    'server grade --server="python3 server.py" --json',
  ],
};

/**
 * Runs `server grade` with `args` and returns its exit code.
 *
 * @example
 * ```ts
 * import { gradeMain } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await gradeMain(["--version"]), 0);
 * ```
 */
export function gradeMain(args: readonly string[]): Promise<number> {
  return runCommand(GRADE_COMMAND, args, async (flags) => {
    if (flags.client === undefined && flags.server === undefined) {
      throw new UsageError("give --client=CMD, --server=CMD or both");
    }
    const options = { cwd: Deno.cwd(), limits: { timeMs: flags.time * 1000 } };
    const [task1, task2] = await Promise.all([
      flags.client === undefined ? undefined : checkClient(flags.client, flags.studentID, options),
      flags.server === undefined ? undefined : checkServer(flags.server, options),
    ]);
    const card = reportCard(task1, task2);
    if (flags.json) console.log(JSON.stringify(card, null, 2));
    else for (const line of formatCard(card)) console.log(line);
    return card.total === card.max ? 0 : 1;
  });
}

if (import.meta.main) {
  const { runMain } = await import("../main.ts");
  await runMain(() => gradeMain(Deno.args));
}
