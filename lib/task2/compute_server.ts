/**
 * The Task 2 compute server: a TCP service that runs one
 * {@linkcode serveComputeSession} per connection, all at once, optionally
 * stopping after the first batch of clients is done (`--once`).
 *
 * @module
 */

import { type ListenOptions, serveTcp, type TcpService } from "../net/listener.ts";
import type { Logger } from "../net/logger.ts";
import { type ComputeSessionOptions, computeSessionSettings } from "./compute_options.ts";
import { serveComputeSession } from "./compute_session.ts";

/**
 * Options of {@linkcode serveCompute}: where to listen, how each session
 * runs, and where log lines go.
 */
export interface ComputeServerOptions extends ListenOptions, ComputeSessionOptions {
  /**
   * Stop after the first batch: once some client has sent COMPLETE and no
   * connection is open any more. Default false.
   */
  once?: boolean | undefined;
  /** Receives one line per event; default `console.log`. */
  log?: Logger | undefined;
}

/**
 * Starts a compute server. Throws `RangeError` for options out of range.
 *
 * @example
 * ```ts
 * import { serveCompute } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * await using server = serveCompute({ hostname: "127.0.0.1", gapMs: 10, once: true, log() {} });
 * using conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
 * await conn.write(new TextEncoder().encode("Client2"));
 * const reply = new Uint8Array(32);
 * const reader = conn.readable.getReader({ mode: "byob" });
 * const { value } = await reader.read(reply, { min: 32 });
 * assert.equal(new TextDecoder().decode(value), "c5fdeac9dbd9322ca157a09ac7052824");
 * reader.releaseLock();
 * await conn.write(new TextEncoder().encode("COMPLETE"));
 * await server.finished; // --once: the batch is done
 * ```
 */
export function serveCompute(options: ComputeServerOptions = {}): TcpService {
  const log = options.log ?? console.log;
  const settings = computeSessionSettings(options);
  let open = 0;
  let completed = 0;
  const service: TcpService = serveTcp(options, async (conn) => {
    open++;
    try {
      if (await serveComputeSession(conn, settings, log) === "complete") completed++;
    } finally {
      open--;
      if (options.once && completed > 0 && open === 0) {
        log(`All ${completed} client(s) of the batch sent COMPLETE; stopping (--once)`);
        // Not awaited: close() waits for this very handler to return.
        void service.close({ force: false });
      }
    }
  }, { log });
  return service;
}
