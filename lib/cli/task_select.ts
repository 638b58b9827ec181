/**
 * Picks the role of a two-role program from its command line.
 *
 * @module
 */

import type { FlagSpecs } from "./flag_specs.ts";
import type { Command } from "./flags.ts";
import { UnknownFlagError, UsageError } from "./usage_error.ts";

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

/** The role a program did not pick, for {@linkcode hintOtherRole}. */
export interface OtherRole {
  /** The other role's command, or a loader of it: its flags are the ones to recognise. */
  command: Command<FlagSpecs> | (() => Promise<Command<FlagSpecs>>);
  /** The role and how to pick it, such as `the Task 2 test client (add --submit=False)`. */
  role: string;
}

/**
 * Runs one role of a program of two; a flag unknown to it but known to the
 * other role gets a usage error that says so and how to pick that role,
 * instead of only "Unknown flag".
 *
 * @example
 * ```ts
 * import { decryptClientMain, hintOtherRole, TEST_CLIENT_COMMAND } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const other = { command: TEST_CLIENT_COMMAND, role: "the Task 2 test client (add --submit=False)" };
 * await assert.rejects(
 *   hintOtherRole(() => decryptClientMain(["--host=127.0.0.1", "--port=1", "--studentID=20200000", "--clients=4"]), other),
 *   { message: "Unknown flag --clients: it is a flag of the Task 2 test client (add --submit=False)" },
 * );
 * ```
 */
export async function hintOtherRole(run: () => Promise<number>, other: OtherRole): Promise<number> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof UnknownFlagError)) throw error;
    const name = error.flag.replace(/^-+/, "");
    const command = typeof other.command === "function" ? await other.command() : other.command;
    if (!Object.hasOwn(command.flags, name)) throw error;
    throw new UsageError(`Unknown flag ${error.flag}: it is a flag of ${other.role}`, {
      cause: error,
    });
  }
}
