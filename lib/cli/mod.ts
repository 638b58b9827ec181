/**
 * The programs' command lines: typed flags, the shared `--help`,
 * `--version` and usage-error path, role selection for the two-role
 * `client` and `server`, and one entry point per program role.
 *
 * @example
 * ```ts
 * import { selectTask } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * // `client --port=1234 --studentID=20200000 --submit=False` is the Task 2 role.
 * const { task } = selectTask(["--port=1234", "--studentID=20200000", "--submit=False"], 1, [
 *   "--submit",
 * ]);
 * assert.equal(task, 2);
 * ```
 *
 * @module
 */

export { COMPUTE_SERVER_COMMAND, computeServerMain } from "./compute_server.ts";
export { formatTable, type TableOptions } from "./table.ts";
export { runPool } from "./pool.ts";
export { DECRYPT_CLIENT_COMMAND, decryptClientMain } from "./decrypt_client.ts";
export {
  type Command,
  type Flag,
  flag,
  type FlagMakers,
  type FlagOptions,
  type FlagSpecs,
  type FlagValue,
  type FlagValues,
  formatHelp,
  HELP_WIDTH,
  type IntegerListOptions,
  type IntegerOptions,
  parseCommand,
  type Parsed,
  parseFlags,
  wrapText,
} from "./flags.ts";
export {
  createProgress,
  onInterrupt,
  type Progress,
  type ProgressSink,
  stderrSink,
} from "./progress.ts";
export {
  batchCsv,
  type BatchOptions,
  type BoundedRun,
  checkClient,
  type CheckOptions,
  checkServer,
  type ClientCheck,
  type FileChecks,
  findSubmissions,
  formatCard,
  GRADE_COMMAND,
  gradeBatch,
  gradeMain,
  type GradeRecord,
  pdfPages,
  prepareSubmission,
  type ReportCard,
  reportCard,
  runBounded,
  type RunEnd,
  SANDBOX_DEFAULTS,
  type SandboxLimits,
  type ServerCheck,
  type Submission,
} from "./grade/mod.ts";
export { GRADING_SERVER_COMMAND, gradingServerMain } from "./grading_server.ts";
export { parseScriptFlags, readCommandLine, runCommand, runMain, VERSION } from "./main.ts";
export { formatAttempts, formatScores, SCORES_COMMAND, scoresMain } from "./scores.ts";
export { type StaffFlags, type StaffPageHooks, staffPageHooks } from "./staff_page.ts";
export {
  CLIENT_ROLES,
  hintOtherRole,
  type OtherRole,
  selectTask,
  SERVER_ROLES,
  type TaskSelection,
} from "./task_select.ts";
export { TEST_CLIENT_COMMAND, type TestClientFlags, testClientMain } from "./test_client.ts";
export { courseJson, type LoadFlags, loadMain } from "./test_client_output.ts";
export { UnknownFlagError, UsageError } from "./usage_error.ts";
export { PCAP_FLAG, withPcap } from "./pcap_flag.ts";
