/**
 * The score side shared by both tasks: the best-score database (SQLite, in a
 * storage worker), the roster of allowed student ids, the student id rule,
 * CSV/JSON exports, and the read-only staff page of a grading server.
 *
 * @example
 * ```ts
 * import { isStudentId, parseRoster, ScoreStore } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * const roster = parseRoster("20200000\n");
 * await using store = await ScoreStore.open(":memory:");
 * for (const id of roster) await store.record(id, 1, 35);
 * assert.ok(isStudentId(20200000));
 * assert.equal(await store.best(20200000, 1), 35);
 * ```
 *
 * @module
 */

export {
  type AttemptFilter,
  type AttemptRecord,
  failureReason,
  type NewAttempt,
  type ReasonCount,
  showControls,
} from "./attempt_history.ts";
export { type BatchItem, type BatchRecord, checkBatchRecord } from "./batch_results.ts";
export { loadRoster, parseRoster } from "./roster.ts";
export {
  DEFAULT_STORE_WAIT_MS,
  type RecordResult,
  type ScoreFilter,
  type ScoreRow,
  ScoreStore,
  ScoreStoreError,
  type ScoreStoreOptions,
  type TaskNumber,
} from "./score_store.ts";
export type { ScoreDbOptions } from "./score_db.ts";
export { isStudentId } from "./student_id.ts";
export {
  csvField,
  type ExportOptions,
  formatCsv,
  formatJson,
  maskId,
  OUT_OF,
} from "./score_export.ts";
export {
  type ActiveSession,
  type Attempt,
  AttemptsLog,
  type AttemptsLogOptions,
} from "./attempts_log.ts";
export {
  escapeHtml,
  parseStaffSort,
  renderStaffPage,
  type StaffSort,
  type StaffView,
} from "./staff_page.ts";
export { serveStaffPage, type StaffPage, type StaffPageOptions } from "./staff_server.ts";
export {
  serveStaffHttp,
  type StaffHttpLimits,
  type StaffHttpOptions,
  type StaffHttpServer,
} from "./staff_http.ts";
export {
  type StaffAttempt,
  type StaffBatch,
  type StaffFilter,
  type StaffScore,
  staffScores,
  type StaffSources,
  type StaffState,
  staffState,
  studentKey,
  type StudentView,
  studentView,
  type TaskSummary,
} from "./staff_state.ts";
