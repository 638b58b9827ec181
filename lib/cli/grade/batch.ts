/**
 * Batch grading of a folder of submissions: each student's client.py and
 * server.py checked exactly as the single check does, several at once,
 * each in its own scratch directory and bounded; one record per student.
 *
 * @module
 */

import { runPool } from "../pool.ts";
import { pythonCommand } from "./python.ts";
import type { BatchItem, BatchRecord, ScoreRow } from "../../scores/mod.ts";
import { checkClient, checkServer, type ClientCheck, type ServerCheck } from "./check.ts";
import { findSubmissions, prepareSubmission, type Submission } from "./submission.ts";

/** One student's batch record, with the database comparison when asked. */
export interface GradeRecord extends BatchRecord {
  /** Best registered Task 1 / Task 2 scores, when `--db` was given (null: none). */
  registered?: { task1: number | null; task2: number | null };
  /** Flags from the comparison: below the registered score, no registered score, no submission. */
  flags: string[];
}

/** Options of {@linkcode gradeBatch}. */
export interface BatchOptions {
  /** Submissions graded at once; default 2. */
  jobs?: number;
  /** Wall-clock limit of each program, ms; default 120 000. */
  timeMs?: number;
  /** How long a server.py may take to listen on its port, ms; default 10 000. */
  listenMs?: number;
  /** Called as each student starts and ends. */
  progress?: (done: number, total: number, current: string) => void;
  /** Registered best scores to compare against. */
  registered?: readonly ScoreRow[];
}

function items(task1: ClientCheck | undefined, task2: ServerCheck | undefined): BatchItem[] {
  const list: BatchItem[] = [{ task: 1, name: "client", points: task1?.score ?? 0, outOf: 50 }];
  const s = task2?.score;
  list.push(
    { task: 2, name: "FIBONACCI", points: s?.fibonacci.points ?? 0, outOf: 10 },
    { task: 2, name: "FACTORIAL", points: s?.factorial.points ?? 0, outOf: 10 },
    { task: 2, name: "FILE (WORD_COUNT)", points: s?.wordCount.points ?? 0, outOf: 20 },
  );
  return list;
}

async function gradeOne(
  submission: Submission,
  timeMs: number,
  listenMs: number | undefined,
): Promise<BatchRecord> {
  const scratch = await Deno.makeTempDir({ prefix: `grade-${submission.studentId}-` });
  try {
    const checks = await prepareSubmission(submission, scratch);
    const limits = { timeMs };
    const python = await pythonCommand();
    const [task1, task2] = await Promise.all([
      checks.clientDir === undefined ? undefined : checkClient(
        `${python} client.py`,
        submission.studentId,
        { cwd: checks.clientDir, limits },
      ),
      checks.serverDir === undefined ? undefined : checkServer(`${python} server.py`, {
        cwd: checks.serverDir,
        limits,
        ...(listenMs === undefined ? {} : { listenMs }),
      }),
    ]);
    const problems = [...checks.problems];
    if (task1) {
      for (const p of task1.problems) problems.push(`client.py: ${p}`);
      if (task1.score < 50) problems.push(`client.py: ${task1.message}`);
      const printed = Object.entries(task1.printed).filter(([, ok]) => !ok).map(([k]) => k);
      if (printed.length > 0 && task1.keyword) {
        problems.push(`client.py: did not print the result as sent (${printed.join(", ")})`);
      }
    }
    if (task2) { for (const p of task2.problems) problems.push(`server.py: ${p}`); }
    const diagnosis = [...(task1?.diagnoses ?? []), ...(task2?.diagnoses ?? [])]
      .find((d) => d.severity === "mistake");
    const t1 = task1?.score ?? 0;
    const t2 = task2?.score.total ?? 0;
    return {
      studentId: submission.studentId,
      task1: t1,
      task2: t2,
      total: t1 + t2,
      items: items(task1, task2),
      problems,
      diagnosis: diagnosis ? `${diagnosis.id}: ${diagnosis.message}` : null,
      gradedAt: new Date().toISOString(),
    };
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

function compare(record: BatchRecord, rows: readonly ScoreRow[]): GradeRecord {
  const best = (task: 1 | 2) =>
    rows.find((r) => r.studentId === record.studentId && r.task === task)?.best ?? null;
  const registered = { task1: best(1), task2: best(2) };
  const flags: string[] = [];
  for (const [task, code] of [[1, record.task1], [2, record.task2]] as const) {
    const reg = task === 1 ? registered.task1 : registered.task2;
    if (reg === null) flags.push(`task${task}: no registered score`);
    else if (code < reg) flags.push(`task${task}: code earns ${code}, below the registered ${reg}`);
  }
  return { ...record, registered, flags };
}

/**
 * Grades every submission in `dir`; with `registered`, also a record per
 * student who registered a score but submitted nothing (flag "no submission").
 *
 * @example
 * ```ts
 * import { gradeBatch } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const dir = Deno.makeTempDirSync();
 * const records = await gradeBatch(dir, { jobs: 2, registered: [] });
 * assert.deepEqual(records, []);
 * Deno.removeSync(dir);
 * ```
 */
export async function gradeBatch(dir: string, options: BatchOptions = {}): Promise<GradeRecord[]> {
  const { found } = findSubmissions(dir);
  const jobs = Math.max(1, options.jobs ?? 2);
  const timeMs = options.timeMs ?? 120_000;
  let done = 0;
  const results = await runPool(found.length, jobs, async (index): Promise<BatchRecord> => {
    const submission = found[index]!;
    options.progress?.(done, found.length, String(submission.studentId));
    try {
      return await gradeOne(submission, timeMs, options.listenMs);
    } catch (error) {
      return {
        studentId: submission.studentId,
        task1: 0,
        task2: 0,
        total: 0,
        items: items(undefined, undefined),
        problems: [`grading failed: ${error instanceof Error ? error.message : String(error)}`],
        diagnosis: null,
        gradedAt: new Date().toISOString(),
      };
    } finally {
      done++;
      options.progress?.(done, found.length, String(submission.studentId));
    }
  });
  const rows = options.registered;
  if (rows === undefined) return results.map((r) => ({ ...r, flags: [] }));
  const records = results.map((r) => compare(r, rows));
  const seen = new Set(records.map((r) => r.studentId));
  for (const id of new Set(rows.map((r) => r.studentId))) {
    if (seen.has(id)) continue;
    const empty: BatchRecord = {
      studentId: id,
      task1: 0,
      task2: 0,
      total: 0,
      items: items(undefined, undefined),
      problems: ["no submission"],
      diagnosis: null,
      gradedAt: new Date().toISOString(),
    };
    records.push({ ...compare(empty, rows), flags: ["no submission"] });
  }
  return records;
}

function csvCell(value: string | number): string {
  const text = String(value);
  // A leading = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * The records as CSV: one header row, one row per student.
 *
 * @example
 * ```ts
 * import { batchCsv } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * assert.equal(batchCsv([]), "studentId,task1,task2,total,flags,problems,diagnosis\n");
 * ```
 */
export function batchCsv(records: readonly GradeRecord[]): string {
  const rows = [["studentId", "task1", "task2", "total", "flags", "problems", "diagnosis"]];
  for (const r of records) {
    rows.push([
      String(r.studentId),
      String(r.task1),
      String(r.task2),
      String(r.total),
      r.flags.join("; "),
      r.problems.join("; "),
      r.diagnosis ?? "",
    ]);
  }
  return rows.map((row) => row.map(csvCell).join(",")).join("\n") + "\n";
}
