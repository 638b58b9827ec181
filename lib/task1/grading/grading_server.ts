/**
 * The Task 1 grading server: a TCP service that grades each connection on
 * its own (see `grading_session.ts`) and logs one line per outcome.
 *
 * @module
 */

import type { PcapCapture } from "../../net/pcap.ts";
import type { Logger } from "../../net/logger.ts";
import {
  formatAddress,
  type ListenOptions,
  serveTcp,
  type TcpService,
} from "../../net/listener.ts";
import type { GradingOutcome } from "./grading_outcome.ts";
import { gradeConnection } from "./grading_session.ts";
import { encodePacket } from "../protocol/packet.ts";
import { writeAll } from "../../net/write_all.ts";
import { type GradingSessionOptions, gradingSessionSettings } from "./grading_options.ts";

/**
 * Options of {@linkcode serveGrading}: where to listen, how each session
 * runs, and where log lines go.
 */
export interface GradingServerOptions extends ListenOptions, GradingSessionOptions {
  /** Receives one line per connection outcome; default `console.log`. */
  log?: Logger | undefined;
  /** Called when a connection is accepted, with its peer (`host:port`). */
  onStart?: ((peer: string) => void) | undefined;
  /** Called with each connection's outcome, after it is logged. */
  onOutcome?: ((outcome: GradingOutcome) => void) | undefined;
  /**
   * Most connections graded at once; one more gets a `FAIL` result packet
   * saying the server is busy, and is closed. Default
   * {@linkcode DEFAULT_GRADING_CONNECTIONS}.
   */
  maxConnections?: number | undefined;
  /** Records every connection's exchange (`--pcap`), if given. */
  capture?: PcapCapture | undefined;
}

/** The default most connections the grading server grades at once. */
export const DEFAULT_GRADING_CONNECTIONS = 1024;

/**
 * The result packet for a connection over the limit: `FAIL`, score 0, and
 * why, so a client prints a reason instead of a broken connection.
 *
 * @example
 * ```ts
 * import { busyResult, decodePacket } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const packet = decodePacket(busyResult(1024));
 * assert.equal(packet.keyword, "FAIL");
 * assert.equal(packet.sid, 0);
 * assert.match(new TextDecoder().decode(packet.data), /^SERVER BUSY: 1024 connections/);
 * ```
 */
export function busyResult(limit: number): Uint8Array {
  const message = `SERVER BUSY: ${limit} connections are being graded, try again later`;
  return encodePacket({
    flag: 1,
    keyword: "FAIL",
    sid: 0,
    data: new TextEncoder().encode(message),
  });
}

/**
 * Starts the grading server. Each connection is graded on its own; a bad
 * input ends that connection with a `FAIL` packet and never the server.
 * Throws `RangeError` for an option out of range.
 *
 * @example
 * ```ts
 * import { runDecryptClient, serveGrading } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * await using server = serveGrading({ hostname: "127.0.0.1", log: (line) => lines.push(line) });
 * const result = await runDecryptClient({
 *   hostname: "127.0.0.1", port: server.port, studentId: 20200000, keyword: "test",
 * });
 * assert.equal(result.keyword, "GOOD");
 * assert.equal(result.score, 50);
 * await server.close({ force: false });
 * assert.match(lines[0]!, /sid 20200000 test: 50\/50 GOOD/);
 * ```
 */
export function serveGrading(options: GradingServerOptions = {}): TcpService {
  const settings = gradingSessionSettings(options);
  const log = options.log ?? console.log;
  const maxConnections = options.maxConnections ?? DEFAULT_GRADING_CONNECTIONS;
  if (!(maxConnections >= 1)) {
    throw new RangeError(`maxConnections must be >= 1, got ${maxConnections}`);
  }
  return serveTcp(options, async (conn, shutdown) => {
    options.onStart?.(formatAddress(conn.remoteAddr));
    // Reported once the result is written, not once the client has closed.
    await gradeConnection(conn, settings, log, { shutdown, answered: options.onOutcome });
  }, {
    log,
    maxConnections,
    capture: options.capture,
    reject: async (conn) => {
      log(`[${formatAddress(conn.remoteAddr)}] Refused: ${maxConnections} connections are open`);
      await writeAll(conn, busyResult(maxConnections));
    },
  });
}
