/**
 * Picks the role of a two-role program from its command line.
 *
 * @module
 */

import { UsageError } from "./usage_error.ts";

/** The role chosen, and the arguments left for that role's parser. */
export interface TaskSelection {
  /** 1 or 2. */
  task: 1 | 2;
  /** `args` without `--task`. */
  rest: string[];
}

/**
 * Finds `--task=N` (or `--task N`) in `args` and removes it. Without it the
 * task is 2 when any flag in `task2Flags` is present, else `fallback`.
 *
 * @example
 * ```ts
 * import { selectTask } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(selectTask(["--task=2", "--port=1"], 1, []), { task: 2, rest: ["--port=1"] });
 * assert.deepEqual(selectTask(["--submit=False"], 1, ["--submit"]), {
 *   task: 2,
 *   rest: ["--submit=False"],
 * });
 * assert.throws(() => selectTask(["--task=3"], 1, []), { name: "UsageError" });
 * assert.throws(() => selectTask(["--task=1", "--task=2"], 2, []), {
 *   message: /--task was given twice, as 1 and as 2.*deno task server/,
 * });
 * ```
 */
export function selectTask(
  args: readonly string[],
  fallback: 1 | 2,
  task2Flags: readonly string[],
): TaskSelection {
  const rest: string[] = [];
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      rest.push(...args.slice(i));
      break;
    }
    const given = arg === "--task"
      ? args[++i] ?? ""
      : arg.startsWith("--task=")
      ? arg.slice("--task=".length)
      : undefined;
    if (given !== undefined) {
      if (value !== undefined && value !== given) {
        throw new UsageError(
          `--task was given twice, as ${value} and as ${given}: a program runs one role. ` +
            "`deno task grading-server` is Task 1's grading server (it adds --task=1); " +
            "for the Task 2 compute server run `deno task server`",
        );
      }
      value = given;
    } else {
      rest.push(arg);
    }
  }
  if (value !== undefined) {
    if (value !== "1" && value !== "2") {
      throw new UsageError(`--task must be 1 or 2, got '${value}'`);
    }
    return { task: value === "1" ? 1 : 2, rest };
  }
  const wantsTask2 = rest.some((arg) =>
    task2Flags.some((flag) => arg === flag || arg.startsWith(`${flag}=`))
  );
  return { task: wantsTask2 ? 2 : fallback, rest };
}

/**
 * How to pick a role of the `client` program, printed at the end of its
 * `--help` in both roles.
 */
export const CLIENT_ROLES: string = [
  "Roles: `client` is two programs in one, as the course shipped them.",
  "  Task 1, the decryption client (the default):",
  "    client --host=HOST --port=PORT --studentID=ID",
  "  Task 2, the course's test client, picked by --submit (or --task=2):",
  "    client --port=PORT --studentID=ID --submit=False",
  "  Each role's flags: client --task=1 --help, client --task=2 --help",
].join("\n");

/**
 * How to pick a role of the `server` program, printed at the end of its
 * `--help` in both roles.
 */
export const SERVER_ROLES: string = [
  "Roles: `server` is two programs in one.",
  "  Task 2, the compute server (the default):",
  "    server --port=PORT",
  "  Task 1, the grading server with its score database, picked by --task=1:",
  "    server --task=1 --port=PORT",
  "  The score table and exports of a grading server's database:",
  "    server scores --db=FILE [--csv | --json]",
  "  A check of a student's own client.py and server.py, one report card out of 90:",
  '    server grade --client="python3 client.py" --server="python3 server.py"',
  "  Each role's flags: server --task=2 --help, server --task=1 --help",
].join("\n");
