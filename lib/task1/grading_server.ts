/**
 * The Task 1 grading server: accepts connections and grades each one on its
 * own (see `grading_session.ts`), logging one line per outcome.
 *
 * @module
 */

import { formatOutcome, gradeConnection } from "./grading_session.ts";
import { serveTcp, type TcpService } from "../net/listener.ts";
import type { ScoreStore } from "../scores/score_store.ts";

export { type GradingOutcome, SUBMIT_KEYWORD } from "./grading_session.ts";

/**
 * Options for {@linkcode serveGrading}.
 *
 * @example
 * ```ts
 * import { type GradingServerOptions, serveGrading } from "./grading_server.ts";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const options: GradingServerOptions = { hostname: "127.0.0.1", plaintextSize: 10, log: (l) => lines.push(l) };
 * const server = serveGrading(options);
 * using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
 * conn.close();
 * await server.close(false); // wait for the handler instead of cutting it off
 * assert.match(lines[0]!, /Connection closed before a header was sent/);
 * ```
 */
export interface GradingServerOptions {
  /** Interface to bind; every IPv4 and IPv6 interface by default. */
  hostname?: string | undefined;
  /** Port to bind; 0 (the default) picks a free one. */
  port?: number | undefined;
  /** Plaintext bytes per client; default 25,000 (three packets). */
  plaintextSize?: number | undefined;
  /** Longest wait for one read or write, in ms; default 10,000. */
  timeoutMs?: number | undefined;
  /** Longest time for a client's whole reply, in ms; default 120,000. */
  sessionLimitMs?: number | undefined;
  /** Where `sbmt` scores go; without a store nothing is stored. */
  store?: ScoreStore | undefined;
  /** Student ids allowed to register; without a roster every id is. */
  roster?: ReadonlySet<number> | undefined;
  /** Receives one line per connection outcome; default `console.log`. */
  log?: ((line: string) => void) | undefined;
}

/**
 * Largest configurable plaintext: 10 MiB.
 *
 * @example
 * ```ts
 * import { MAX_PLAINTEXT_SIZE, serveGrading } from "./grading_server.ts";
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => serveGrading({ plaintextSize: MAX_PLAINTEXT_SIZE + 1 }), { name: "RangeError" });
 * ```
 */
export const MAX_PLAINTEXT_SIZE: number = 10 * 1024 * 1024;

/**
 * Starts the grading server. Each connection is graded on its own; a bad
 * input ends that connection with a `FAIL` packet and never the server.
 *
 * @example
 * ```ts
 * import { serveGrading } from "./grading_server.ts";
 * import { runDecryptClient } from "./decrypt_client.ts";
 * import assert from "node:assert/strict";
 *
 * await using server = serveGrading({ hostname: "127.0.0.1", log: () => {} });
 * const result = await runDecryptClient({
 *   hostname: "127.0.0.1", port: server.port, studentId: 20200000, keyword: "test",
 * });
 * assert.equal(result.keyword, "GOOD");
 * assert.equal(result.score, 50);
 * ```
 */
export function serveGrading(options: GradingServerOptions = {}): TcpService {
  const size = options.plaintextSize ?? 25_000;
  if (!Number.isInteger(size) || size < 0 || size > MAX_PLAINTEXT_SIZE) {
    throw new RangeError(`plaintextSize must be 0 to ${MAX_PLAINTEXT_SIZE}, got ${size}`);
  }
  const log = options.log ?? console.log;
  return serveTcp(options, async (conn, shutdown) => {
    log(formatOutcome(await gradeConnection(conn, options, shutdown)));
  });
}
