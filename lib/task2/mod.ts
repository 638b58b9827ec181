/**
 * Task 2, the compute server: client UUIDs, exact Fibonacci and factorial
 * (with a worker pool and fast decimal conversion for huge answers), word count, the request framing, the compute session and server, and the
 * course's test client with its request plan, reply checks and scoring.
 *
 * @example
 * ```ts
 * import { clientUuid, factorial, fibonacci } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const uuid = clientUuid("Client1");
 * assert.equal(uuid, "f97e575c28d536b49170f3cbaef757af");
 * assert.equal(`${fibonacci(7)}_${uuid}`, "13_f97e575c28d536b49170f3cbaef757af");
 * assert.equal(factorial(6), 720n);
 * ```
 *
 * @module
 */

export { clientUuid, isUuidText, uuidDigits } from "./protocol/client_uuid.ts";
export { md5 } from "./protocol/md5.ts";
export {
  answerBits,
  checkN,
  factorial,
  FACTORIAL_LIMIT,
  factorialFives,
  factorialTwos,
  fibonacci,
  FIBONACCI_LIMIT,
  fibonacciDouble,
  fibonacciFromSquares,
  fibonacciPair,
  oddFactorialParts,
  oddProduct,
} from "./compute/compute.ts";
export {
  type ComputeJob,
  ComputePool,
  type ComputePoolOptions,
  INLINE_FACTORIAL,
  INLINE_FIBONACCI,
  PARALLEL_BITS,
  PoolBusyError,
} from "./compute/compute_pool.ts";
export {
  addToDecimal,
  bitLength,
  DECIMAL_THRESHOLD_BITS,
  decimalDigitsBound,
  estimateQuotient,
  halfDigits,
  joinDecimal,
  prepareSplit,
  settleQuotient,
  splitDecimal,
  splitExponent,
  toDecimal,
} from "./compute/decimal.ts";
export {
  type ComputeServerOptions,
  type ComputeService,
  DEFAULT_MAX_CONNECTIONS,
  serveCompute,
} from "./server/compute_server.ts";
export {
  type ComputeFunction,
  computeInThread,
  type ComputeRequest,
  type ComputeSessionOptions,
  computeSessionSettings,
  type ComputeSettings,
  DEFAULT_GAP_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_SESSION_LIMIT_MS,
} from "./server/compute_options.ts";
export {
  FILE_LENGTH_LIMIT,
  NAME_LIMIT,
  serveComputeSession,
  type SessionEnd,
  type SessionHooks,
} from "./server/compute_session.ts";
export { RequestError } from "./protocol/errors.ts";
export {
  checkReply,
  isUuidPrefix,
  isWholeReply,
  judgeReply,
  type ReplyJudgement,
  shorten,
} from "./protocol/reply_check.ts";
export { diagnoseTask2, TASK2_MISTAKES, type Task2Evidence } from "./client/mistakes.ts";
export {
  type Framing,
  FRAMINGS,
  type Keyword,
  KEYWORDS,
  type ReaderTiming,
  RequestReader,
} from "./server/request_reader.ts";
export { Barrier } from "./client/barrier.ts";
export { type ReadEnd, type ReadResult, ReplyReader } from "./client/server_reply_reader.ts";
export {
  nothingListens,
  runTestClient,
  TEST_CLIENT_DEFAULTS,
  type TestClientOptions,
  type TestReport,
} from "./client/test_client.ts";
export {
  type ClientReport,
  type RequestResult,
  type RequestStatus,
} from "./client/test_session.ts";
export { type LoadOptions, type LoadProgress, runLoad } from "./client/load_run.ts";
export {
  formatLoad,
  type Latency,
  LatencySamples,
  type LoadReport,
  percentileOfSorted,
} from "./client/load_stats.ts";
export {
  formatStress,
  runStress,
  STRESS_CASES,
  STRESS_REPLY_BYTES,
  type StressCase,
  type StressFinding,
} from "./client/stress_run.ts";
export { traceLine } from "./protocol/trace.ts";
export {
  COURSE_FILE_BYTES,
  type PlanOptions,
  planRequests,
  randomText,
  type RequestType,
  splitWrites,
  type TestRequest,
  WRITE_MODES,
  type WriteMode,
} from "./client/test_requests.ts";
export {
  formatScore,
  type RequestOutcome,
  type Score,
  scoreOutcomes,
  type TypeScore,
} from "./client/test_score.ts";
export { countWords, WordCounter } from "./compute/word_count.ts";
