/**
 * A toolkit for KAIST CS341 Practice #2, TCP socket communication: both
 * sides of both tasks, with the wire codecs as pure functions.
 *
 * This root module holds what a user of the library needs; each wing has
 * its own entry point with the rest:
 *
 * - `@cs341/practice2/task1`: header, checksum, XOR, packets, frame reader,
 *   grading rules, the grading server and the decryption client.
 * - `@cs341/practice2/task2`: client UUIDs, the computations, word count,
 *   request framing, the compute server and the course's test client.
 * - `@cs341/practice2/scores`: the best-score database and the roster.
 * - `@cs341/practice2/net`: the TCP service, connections, time limits.
 * - `@cs341/practice2/cli`: typed flags and the programs' entry points.
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

// Errors a caller may catch
export { ConnectionError, ProtocolError, TimeoutError, TruncatedError } from "./lib/net/mod.ts";
export { ChecksumError, HeaderError } from "./lib/task1/mod.ts";
export { RequestError } from "./lib/task2/mod.ts";

// The service both servers return
export type { CloseOptions, Logger, TcpService } from "./lib/net/mod.ts";

// Task 1: codecs, client, server
export {
  type DecodedPacket,
  decodeHeader,
  decodePacket,
  type DecryptClientOptions,
  type DecryptResult,
  encodeHeader,
  encodePacket,
  FrameReader,
  type GradingServerOptions,
  type Header,
  HEADER_SIZE,
  MAX_PACKET_SIZE,
  type Packet,
  packetChecksum,
  packetsOf,
  runDecryptClient,
  serveGrading,
  verifyChecksum,
  xorCipher,
} from "./lib/task1/mod.ts";

// Task 2: computations, server, test client
export {
  clientUuid,
  type ComputeServerOptions,
  countWords,
  factorial,
  fibonacci,
  runTestClient,
  serveCompute,
  type TestClientOptions,
  type TestReport,
} from "./lib/task2/mod.ts";

// Scores
export { type ScoreRow, ScoreStore } from "./lib/scores/mod.ts";
