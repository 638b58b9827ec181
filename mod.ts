/**
 * A toolkit for KAIST CS341 Practice #2, TCP socket communication: both
 * sides of both tasks, with the wire codecs as pure functions.
 *
 * - Task 1: the 16-byte header, the course's checksum, the XOR cipher, whole
 *   packets and a frame reader; the decryption client and the grading
 *   server with its best-score database.
 * - Task 2: the compute server (UUID v3 per client, Fibonacci, factorial,
 *   word count) and the course's test client.
 *
 * @example
 * ```ts
 * import { decodePacket, encodePacket, xorCipher } from "@cs341/practice2";
 * import assert from "node:assert/strict";
 *
 * const secret = xorCipher(new TextEncoder().encode("hello"), "tree");
 * const wire = encodePacket({ flag: 1, keyword: "tree", sid: 20200000, data: secret });
 * const packet = decodePacket(wire);
 * assert.equal(new TextDecoder().decode(xorCipher(packet.data, packet.keyword)), "hello");
 * ```
 *
 * @module
 */

// Errors
export {
  ChecksumError,
  ConnectionError,
  HeaderError,
  ProtocolError,
  RequestError,
  TimeoutError,
  TruncatedError,
  UsageError,
} from "./lib/net/errors.ts";

// Task 1 codec: pure functions over bytes
export {
  CHECKSUM_OFFSET,
  type ChecksumOrder,
  internetChecksum,
  packetChecksum,
  verifyChecksum,
} from "./lib/task1/checksum.ts";
export {
  decodeHeader,
  encodeHeader,
  type Flag,
  type Header,
  HEADER_SIZE,
  keywordProblem,
  MAX_DATA_SIZE,
  MAX_PACKET_SIZE,
} from "./lib/task1/header.ts";
export {
  type DecodedPacket,
  decodePacket,
  encodePacket,
  type Packet,
  splitIntoPackets,
} from "./lib/task1/packet.ts";
export { xorCipher } from "./lib/task1/xor.ts";

// Task 1 over sockets
export { FrameReader, type FrameReaderOptions } from "./lib/task1/frame_reader.ts";
export {
  type DecryptClientOptions,
  type DecryptResult,
  type ReplyStyle,
  runDecryptClient,
} from "./lib/task1/decrypt_client.ts";
export {
  MAX_SCORE,
  POINTS,
  randomKey,
  randomPlaintext,
  ReplyChecker,
} from "./lib/task1/grading.ts";
export {
  type GradingOutcome,
  type GradingServerOptions,
  MAX_PLAINTEXT_SIZE,
  serveGrading,
  SUBMIT_KEYWORD,
} from "./lib/task1/grading_server.ts";

// Task 2: pure pieces
export { clientUuid, isUuidText, uuidDigits } from "./lib/task2/client_uuid.ts";
export { factorial, FACTORIAL_LIMIT, fibonacci, FIBONACCI_LIMIT } from "./lib/task2/compute.ts";
export { countWords, isAsciiSpace, WordCounter } from "./lib/task2/word_count.ts";

// Task 2 over sockets
export { ByteSource, type WaitResult } from "./lib/net/byte_source.ts";
export {
  type Keyword,
  KEYWORDS,
  type ReaderTiming,
  RequestReader,
  showBytes,
} from "./lib/task2/request_reader.ts";
export {
  FILE_LENGTH_LIMIT,
  NAME_LIMIT,
  serveComputeSession,
  type SessionEnd,
  type SessionOptions,
} from "./lib/task2/compute_session.ts";
export {
  type ComputeServer,
  type ComputeServerOptions,
  DEFAULT_GAP_MS,
  DEFAULT_TIMEOUT_MS,
  serveCompute,
} from "./lib/task2/compute_server.ts";
export {
  type ClientReport,
  type RequestResult,
  runTestClient,
  type TestClientOptions,
  type TestReport,
} from "./lib/task2/test_client.ts";
export {
  type PlanOptions,
  planRequests,
  randomText,
  type RequestType,
  splitWrites,
  type TestRequest,
  WRITE_MODES,
  type WriteMode,
} from "./lib/task2/test_requests.ts";
export {
  formatScore,
  type RequestOutcome,
  type Score,
  scoreOutcomes,
  type TypeScore,
} from "./lib/task2/test_score.ts";
export { checkReply, isUuidPrefix, isWholeReply, shorten } from "./lib/task2/reply_check.ts";

// Scores
export {
  type RecordResult,
  type ScoreRow,
  ScoreStore,
  type TaskNumber,
} from "./lib/scores/score_store.ts";
export { loadRoster, parseRoster } from "./lib/scores/roster.ts";
export { isStudentId } from "./lib/scores/student_id.ts";

// Sockets and time limits
export { connectTcp } from "./lib/net/connect.ts";
export { closeQuietly, withTimeout } from "./lib/net/deadline.ts";
export {
  type ConnectionHandler,
  formatAddress,
  type ListenOptions,
  serveTcp,
  type TcpService,
} from "./lib/net/listener.ts";
export { type PartialWriter, writeAll } from "./lib/net/write_all.ts";
