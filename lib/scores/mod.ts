/**
 * The score side shared by both tasks: the best-score database (SQLite),
 * the roster of allowed student ids, and the student id rule.
 *
 * @example
 * ```ts
 * import { isStudentId, parseRoster, ScoreStore } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * const roster = parseRoster("20200000\n");
 * using store = ScoreStore.open(":memory:");
 * for (const id of roster) store.record(id, 1, 35);
 * assert.ok(isStudentId(20200000));
 * assert.equal(store.best(20200000, 1), 35);
 * ```
 *
 * @module
 */

export { loadRoster, parseRoster } from "./roster.ts";
export { type RecordResult, type ScoreRow, ScoreStore, type TaskNumber } from "./score_store.ts";
export { isStudentId } from "./student_id.ts";
