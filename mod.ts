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
} from "./lib/errors.ts";

// Task 1 codec: pure functions over bytes
export {
  CHECKSUM_OFFSET,
  type ChecksumOrder,
  internetChecksum,
  packetChecksum,
  verifyChecksum,
} from "./lib/checksum.ts";
export {
  decodeHeader,
  encodeHeader,
  type Flag,
  type Header,
  HEADER_SIZE,
  keywordProblem,
  MAX_DATA_SIZE,
  MAX_PACKET_SIZE,
} from "./lib/header.ts";
export {
  type DecodedPacket,
  decodePacket,
  encodePacket,
  type Packet,
  splitIntoPackets,
} from "./lib/packet.ts";
export { xorCipher } from "./lib/xor.ts";

// Task 1 over sockets
export { FrameReader, type FrameReaderOptions } from "./lib/frame_reader.ts";
export {
  type DecryptClientOptions,
  type DecryptResult,
  type ReplyStyle,
  runDecryptClient,
} from "./lib/decrypt_client.ts";
export { MAX_SCORE, POINTS, randomKey, randomPlaintext, ReplyChecker } from "./lib/grading.ts";
export {
  type GradingOutcome,
  type GradingServerOptions,
  MAX_PLAINTEXT_SIZE,
  serveGrading,
  SUBMIT_KEYWORD,
} from "./lib/grading_server.ts";

// Scores
export {
  type RecordResult,
  type ScoreRow,
  ScoreStore,
  type TaskNumber,
} from "./lib/score_store.ts";
export { loadRoster, parseRoster } from "./lib/roster.ts";

// Sockets and time limits
export { connectTcp } from "./lib/connect.ts";
export { closeQuietly, withTimeout } from "./lib/deadline.ts";
export {
  type ConnectionHandler,
  formatAddress,
  type ListenOptions,
  serveTcp,
  type TcpService,
} from "./lib/listener.ts";
export { writeAll } from "./lib/write_all.ts";
