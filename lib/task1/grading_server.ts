/**
 * The Task 1 grading server: a TCP service that grades each connection on
 * its own (see `grading_session.ts`) and logs one line per outcome.
 *
 * @module
 */

import type { Logger } from "../net/logger.ts";
import { formatAddress, type ListenOptions, serveTcp, type TcpService } from "../net/listener.ts";
import { formatOutcome, type GradingOutcome } from "./grading_outcome.ts";
import { gradeConnection } from "./grading_session.ts";
import { type GradingSessionOptions, gradingSessionSettings } from "./grading_settings.ts";

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
  return serveTcp(options, async (conn, shutdown) => {
    options.onStart?.(formatAddress(conn.remoteAddr));
    // Reported once the result is written, not once the client has closed.
    let reported = false;
    const report = (outcome: GradingOutcome) => {
      if (reported) return;
      reported = true;
      log(formatOutcome(outcome));
      options.onOutcome?.(outcome);
    };
    report(await gradeConnection(conn, settings, shutdown, report));
  }, { log });
}
