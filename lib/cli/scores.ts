/**
 * `deno task scores`: prints the best-score table.
 *
 * @module
 */

import type { Logger } from "../net/logger.ts";
import { type ScoreRow, ScoreStore } from "../scores/score_store.ts";
import { type Command, flag } from "./flags.ts";
import { runCommand, runMain } from "./main.ts";

const FLAGS = {
  db: flag.string({
    value: "FILE",
    description: "SQLite file of best scores",
    default: "scores.db",
  }),
};

/** The scores command line. */
export const SCORES_COMMAND: Command<typeof FLAGS> = {
  usage: "deno task scores [--db=FILE]",
  program: "scores",
  summary: "Prints every student's best score per task from the score database.",
  flags: FLAGS,
  examples: ["deno task scores --db=scores.db"],
};

const OUT_OF = { 1: 50, 2: 40 } as const;

/**
 * Renders rows as an aligned table, one line per student and task.
 *
 * @example
 * ```ts
 * import { formatScores } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const table = formatScores([{
 *   studentId: 20200000, task: 1, best: 50, last: 35, attempts: 3,
 *   bestAt: "2026-11-24T06:00:49.660Z", lastAt: "2026-11-24T07:00:00.000Z",
 * }]);
 * assert.equal(table.split("\n")[1], "20200000       1  50/50    35         3  2026-11-24 06:00:49");
 * ```
 */
export function formatScores(rows: readonly ScoreRow[]): string {
  const header = ["Student ID", "Task", "Best", "Last", "Attempts", "Best reached (UTC)"];
  const lines = rows.map((row) => [
    String(row.studentId),
    String(row.task),
    `${row.best}/${OUT_OF[row.task]}`,
    String(row.last),
    String(row.attempts),
    row.bestAt.slice(0, 19).replace("T", " "),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((line) => line[i]!.length)));
  const render = (cells: string[]) =>
    cells.map((
      cell,
      i,
    ) => (i === 0 || i === 5 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join("  ").trimEnd();
  return [render(header), ...lines.map(render)].join("\n");
}

/**
 * Prints the best-score table of `--db`; returns the exit code (1 when the
 * database does not exist).
 *
 * @example
 * ```ts
 * import { scoresMain } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * assert.equal(await scoresMain(["--db=/nonexistent/scores.db"], (l) => lines.push(l)), 1);
 * assert.match(lines[0]!, /no score database at/);
 * ```
 */
export function scoresMain(args: readonly string[], print: Logger = console.log): Promise<number> {
  return runCommand(SCORES_COMMAND, args, async ({ db }) => {
    const exists = await Deno.stat(db).then(() => true, () => false);
    if (!exists) {
      print(`error: no score database at '${db}' (servers create it; see --db)`);
      return 1;
    }
    await using store = await ScoreStore.open(db);
    const rows = await store.rows();
    print(rows.length === 0 ? `No scores in ${db} yet.` : formatScores(rows));
    return 0;
  }, print);
}

if (import.meta.main) await runMain(() => scoresMain(Deno.args));
