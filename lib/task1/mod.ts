/**
 * Task 1, the string decryption service: the 16-byte header, the course's
 * checksum, the XOR cipher and whole packets as pure functions over bytes;
 * a frame reader; the grading rules; the grading session and server; and the
 * decryption client.
 *
 * @example
 * ```ts
 * import { decodePacket, encodePacket, xorCipher } from "@cs341/practice2/task1";
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

export {
  CHECKSUM_OFFSET,
  type ChecksumOrder,
  internetChecksum,
  packetChecksum,
  verifyChecksum,
} from "./protocol/checksum.ts";
export {
  type DecryptClientOptions,
  type DecryptResult,
  DEFAULT_CLIENT_SESSION_MS,
  DEFAULT_MAX_DATA_BYTES,
  DEFAULT_MAX_PACKETS,
  type ReplyStyle,
  runDecryptClient,
} from "./client/decrypt_client.ts";
export { ChecksumError, HeaderError } from "./protocol/errors.ts";
export { checkFirstHeader } from "./grading/first_header.ts";
export { type ByteReader, FrameReader, type FrameReaderOptions } from "./protocol/frame_reader.ts";
export {
  MAX_SCORE,
  POINTS,
  randomKey,
  randomPlaintext,
  ReplyChecker,
  type RubricPoints,
  SHUTDOWN_PREFIX,
} from "./protocol/rubric.ts";
export { formatOutcome, type GradingOutcome } from "./grading/grading_outcome.ts";
export {
  busyResult,
  DEFAULT_GRADING_CONNECTIONS,
  type GradingServerOptions,
  type GradingService,
  serveGrading,
} from "./grading/grading_server.ts";
export { gradeConnection, type GradingHooks } from "./grading/grading_session.ts";
export {
  DEFAULT_DRAIN_MS,
  DEFAULT_PLAINTEXT_SIZE,
  DEFAULT_READ_TIMEOUT_MS,
  DEFAULT_REPLY_LIMIT_MS,
  type GradingSessionOptions,
  gradingSessionSettings,
  type GradingSettings,
  MAX_PLAINTEXT_SIZE,
} from "./grading/grading_options.ts";
export {
  DRAIN_PAUSE_MS,
  drainAfterHeader,
  drainBytes,
  type DrainEnd,
  drainPackets,
} from "./grading/drain.ts";
export { type JudgeContext, ReplyJudge, type ReplyVerdict } from "./grading/reply_judge.ts";
export { readReply, type ReplyEnd } from "./grading/student_reply_reader.ts";
export {
  diagnoseTask1,
  type ReplySummary,
  TASK1_MISTAKES,
  type Task1Evidence,
} from "./protocol/mistakes.ts";
export {
  decodeHeader,
  encodeHeader,
  type Flag,
  type Header,
  HEADER_SIZE,
  MAX_DATA_SIZE,
  MAX_PACKET_SIZE,
  packetLength,
  peekHeader,
} from "./protocol/header.ts";
export {
  isAsciiLetter,
  isClientKeyword,
  isResultKeyword,
  keywordProblem,
  type ResultKeyword,
  SUBMIT_KEYWORD,
} from "./protocol/keyword.ts";
export {
  type DecodedPacket,
  decodePacket,
  encodePacket,
  type Packet,
  packetsOf,
  splitIntoPackets,
} from "./protocol/packet.ts";
export { formatTrace } from "./protocol/trace.ts";
export { xorCipher } from "./protocol/xor.ts";
