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

// Each role's module is loaded only when that role runs: a compute server
// at rest does not hold the grading server, the score database or the
// grader in memory (docs/architecture.md, "Memory at rest").
import { runMain } from "./lib/cli/main.ts";
import { hintOtherRole, selectTask } from "./lib/cli/task_select.ts";

const computeServer = () => import("./lib/cli/compute_server.ts");
const gradingServer = () => import("./lib/cli/grading_server.ts");

/** Runs the server with command-line `args` and returns its exit code. */
export async function serverMain(args: readonly string[]): Promise<number> {
  if (args[0] === "scores") return (await import("./lib/cli/scores.ts")).scoresMain(args.slice(1));
  if (args[0] === "grade") {
    return (await import("./lib/cli/grade/grade.ts")).gradeMain(args.slice(1));
  }
  const { task, rest } = selectTask(args, 2, []);
  return task === 1
    ? await hintOtherRole(async () => (await gradingServer()).gradingServerMain(rest), {
      command: async () => (await computeServer()).COMPUTE_SERVER_COMMAND,
      role: "the Task 2 compute server, the default (leave out --task=1)",
    })
    : await hintOtherRole(async () => (await computeServer()).computeServerMain(rest), {
      command: async () => (await gradingServer()).GRADING_SERVER_COMMAND,
      role: "Task 1's grading server, picked by --task=1 (deno task grading-server)",
    });
}

if (import.meta.main) await runMain(() => serverMain(Deno.args));
