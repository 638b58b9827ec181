/**
 * The server program, two roles in one binary:
 *
 * - Task 2, the compute server (default): `server --port=1234`
 * - Task 1, the grading server the decryption client talks to:
 *   `server --task=1 --port=4000`
 * - `server scores --db=FILE`: the score table, CSV/JSON exports, backups
 * - `server grade --client=CMD --server=CMD`: checks a student's own programs
 *
 * @module
 */

import {
  COMPUTE_SERVER_COMMAND,
  computeServerMain,
  gradeMain,
  GRADING_SERVER_COMMAND,
  gradingServerMain,
  hintOtherRole,
  runMain,
  scoresMain,
  selectTask,
} from "./lib/cli/mod.ts";

/** Runs the server with command-line `args` and returns its exit code. */
export function serverMain(args: readonly string[]): Promise<number> {
  if (args[0] === "scores") return scoresMain(args.slice(1));
  if (args[0] === "grade") return gradeMain(args.slice(1));
  const { task, rest } = selectTask(args, 2, []);
  return task === 1
    ? hintOtherRole(() => gradingServerMain(rest), {
      command: COMPUTE_SERVER_COMMAND,
      role: "the Task 2 compute server, the default (leave out --task=1)",
    })
    : hintOtherRole(() => computeServerMain(rest), {
      command: GRADING_SERVER_COMMAND,
      role: "Task 1's grading server, picked by --task=1 (deno task grading-server)",
    });
}

if (import.meta.main) await runMain(() => serverMain(Deno.args));
