/**
 * `server scores` (also `deno task scores`): prints the best-score table, or
 * exports it as CSV or JSON for grade uploads, or backs the database up.
 *
 * @module
 */

import { formatTable } from "./table.ts";
import type { Logger } from "../net/logger.ts";
import { formatCsv, formatJson, OUT_OF } from "../scores/score_export.ts";
import { type AttemptRecord, type ScoreRow, ScoreStore } from "../scores/score_store.ts";
import { type Command, flag, type FlagSpecs } from "./flags.ts";
import { runCommand, runMain } from "./main.ts";
import { UsageError } from "./usage_error.ts";

const FLAGS = {
  db: flag.string({
    value: "FILE",
    description: "SQLite file of best scores",
    default: "scores.db",
  }),
  csv: flag.switch({ description: "Print CSV (header row, one line per student and task)" }),
  json: flag.switch({ description: "Print JSON (one object per student and task)" }),
  "only-task": flag.choice(["1", "2"], {
    value: "N",
    description: "Only scores of task N",
    defaultText: "both",
  }),
  prefix: flag.string({
    value: "DIGITS",
    description: "Only student ids starting with DIGITS (such as 2020)",
    defaultText: "all",
  }),
  history: flag.switch({
    description: "Print the attempt history (newest first) instead of best scores",
  }),
  student: flag.studentId({ description: "Only this student (scores and history)" }),
  limit: flag.integer({
    description: "Attempts --history prints at most",
    min: 1,
    max: 10_000,
    default: 50,
  }),
  "keep-attempts": flag.integer({
    description: "Prune the history to the newest N attempts per student and task, and exit",
    min: 1,
    max: 1_000_000,
  }),
  backup: flag.string({
    value: "FILE",
    description: "Write a consistent copy of --db to FILE (online backup) and exit",
    defaultText: "none",
  }),
};

const COMMAND: Command<typeof FLAGS> = {
  usage: "server scores [--db=FILE] [--csv | --json] [--only-task=N] [--prefix=DIGITS] [--history]",
  program: "scores",
  summary: [
    "Prints every student's best score per task from the score database, or exports",
    "it for a grade upload with --csv or --json (UTF-8, one record per student and",
    "task). Safe while servers are running. --history prints the attempts the servers",
    "kept (both tasks: verdict, score, message, main cause, client, time);",
    "--keep-attempts=N prunes them (best scores are not touched). --backup=FILE",
    "copies the database instead.",
  ].join("\n"),
  flags: FLAGS,
  examples: [
    "./server scores --db=scores.db",
    "./server scores --db=scores.db --csv --only-task=1 > task1.csv",
    "./server scores --db=scores.db --backup=backup/scores-2026-11-25.db",
    "deno task scores --json --prefix=2020",
    "./server scores --history --student=20200000",
    "./server scores --keep-attempts=100",
  ],
};

/** The scores command line. */
export const SCORES_COMMAND: Command<FlagSpecs> = COMMAND;

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
  return formatTable(header, lines, { left: [0, 5], rule: false });
}

/**
 * Renders attempts as lines, newest first: time (UTC), task, student,
 * score, verdict, client and message (with the main cause).
 *
 * @example
 * ```ts
 * import { formatAttempts } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const lines = formatAttempts([{ id: 1, task: 1, studentId: 20200000, keyword: "sbmt",
 *   peer: "127.0.0.1:5000", score: 35, outOf: 50, verdict: "FAIL", message: "MISMATCH",
 *   diagnosis: "task1.x", diagnosisMessage: "wrong key", best: 35, reason: "task1.x",
 *   at: "2026-12-05T02:00:00.000Z" }]);
 * assert.equal(lines, "2026-12-05 02:00:00  T1  20200000  35/50 FAIL  127.0.0.1:5000  " +
 *   "MISMATCH [task1.x: wrong key]");
 * ```
 */
export function formatAttempts(attempts: readonly AttemptRecord[]): string {
  return attempts.map((a) => {
    const cause = a.diagnosis === null ? "" : ` [${a.diagnosis}: ${a.diagnosisMessage ?? ""}]`;
    const score = `${a.score}/${a.outOf}`.padStart(5);
    return `${a.at.slice(0, 19).replace("T", " ")}  T${a.task}  ${
      String(a.studentId ?? "-").padEnd(8)
    }  ${score} ${a.verdict}  ${a.peer}  ${a.message}${cause}`;
  }).join("\n");
}

/**
 * Prints the best-score table of `--db` (or CSV/JSON, or makes a backup);
 * returns the exit code (1 when the database does not exist).
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
  return runCommand(COMMAND, args, async (flags) => {
    const { db, csv, json, prefix, backup } = flags;
    if (csv && json) throw new UsageError("Choose one of --csv and --json");
    const shaping = ["csv", "json", "only-task", "prefix", "history", "student"] as const;
    const shaped = shaping.find((name) => flags[name] !== undefined && flags[name] !== false);
    if (backup !== undefined && shaped !== undefined) {
      throw new UsageError(`--backup copies the whole database; it does not go with --${shaped}`);
    }
    if (flags["keep-attempts"] !== undefined && shaped !== undefined) {
      throw new UsageError(`--keep-attempts prunes the history; it does not go with --${shaped}`);
    }
    if (prefix !== undefined && !/^\d{1,8}$/.test(prefix)) {
      throw new UsageError(`--prefix must be 1 to 8 digits, got '${prefix}'`);
    }
    const exists = await Deno.stat(db).then(() => true, () => false);
    if (!exists) {
      print(`error: no score database at '${db}' (servers create it; see --db)`);
      return 1;
    }
    await using store = await ScoreStore.open(db);
    if (backup !== undefined) {
      await store.backup(backup);
      print(`Backed up ${db} to ${backup}`);
      return 0;
    }
    const keep = flags["keep-attempts"];
    if (keep !== undefined) {
      const pruned = await store.pruneAttempts(keep);
      print(
        `Pruned ${pruned} attempt${
          pruned === 1 ? "" : "s"
        }; kept the newest ${keep} per student and task`,
      );
      return 0;
    }
    const task = flags["only-task"] === undefined ? undefined : flags["only-task"] === "1" ? 1 : 2;
    if (flags.history) {
      if (csv) throw new UsageError("--history prints lines or --json, not --csv");
      const attempts = await store.attempts({
        task,
        idPrefix: prefix,
        studentId: flags.student,
        limit: flags.limit,
      });
      if (json) print(JSON.stringify(attempts, null, 2));
      else print(attempts.length === 0 ? `No attempts in ${db} yet.` : formatAttempts(attempts));
      return 0;
    }
    const rows = (await store.rows({ task, idPrefix: prefix })).filter((row) =>
      flags.student === undefined || row.studentId === flags.student
    );
    // Without the last "\n": print adds it back, so every line ends in CRLF.
    if (csv) print(formatCsv(rows).slice(0, -1));
    else if (json) print(formatJson(rows).trimEnd());
    else print(rows.length === 0 ? `No scores in ${db} yet.` : formatScores(rows));
    return 0;
  }, print);
}

if (import.meta.main) await runMain(() => scoresMain(Deno.args));
