/**
 * Grading students' programs: the single check of a student's own
 * `client.py` and `server.py` (`server grade`), and the bounded runner they
 * run under. The only wing of the toolkit that imports both tasks.
 *
 * @example
 * ```ts
 * import { reportCard } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * assert.equal(reportCard().max, 0);
 * ```
 *
 * @module
 */

export {
  checkClient,
  type CheckOptions,
  checkServer,
  type ClientCheck,
  formatCard,
  type ReportCard,
  reportCard,
  type ServerCheck,
} from "./check.ts";
export { GRADE_COMMAND, gradeMain } from "./grade.ts";
export {
  type BoundedRun,
  runBounded,
  type RunEnd,
  SANDBOX_DEFAULTS,
  type SandboxLimits,
} from "./sandbox.ts";
