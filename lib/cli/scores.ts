/**
 * `deno task scores`: prints the best-score table.
 *
 * @module
 */

import { type CommandSpec, formatHelp, parseCommandLine, runMain } from "./flags.ts";
import { type ScoreRow, ScoreStore } from "../scores/score_store.ts";

/** The scores command line. */
export const SCORES_COMMAND: CommandSpec = {
  usage: "deno task scores [--db=FILE]",
  summary: "Prints every student's best score per task from the score database.",
  flags: {
    db: {
      type: "string",
      value: "FILE",
      description: "SQLite file of best scores",
      default: "scores.db",
    },
  },
  examples: ["deno task scores --db=scores.db"],
};

const OUT_OF = { 1: 50, 2: 40 } as const;

/**
 * Renders rows as an aligned table, one line per student and task.
 *
 * @example
 * ```ts
 * import { formatScores } from "./scores.ts";
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

async function main(args: readonly string[]): Promise<number> {
  const flags = parseCommandLine(SCORES_COMMAND, args);
  if (flags === undefined) {
    console.log(formatHelp(SCORES_COMMAND));
    return 0;
  }
  const path = String(flags.db);
  const exists = await Deno.stat(path).then(() => true, () => false);
  if (!exists) {
    console.error(`error: no score database at '${path}' (servers create it; see --db)`);
    return 1;
  }
  using store = ScoreStore.open(path);
  const rows = store.rows();
  console.log(rows.length === 0 ? `No scores in ${path} yet.` : formatScores(rows));
  return 0;
}

if (import.meta.main) await runMain(() => main(Deno.args));
