/**
 * The Task 1 grading server: a TCP service that grades each connection on
 * its own (see `grading_session.ts`) and logs one line per outcome. With
 * `workers` > 1 on Linux, that many threads listen on the port (the main
 * one and `workers - 1` listener threads, `grading_thread.ts`, sharing it
 * with `reusePort`); they count connections in one budget, and every
 * thread's scores go to the one score store, owned by the main thread.
 *
 * @module
 */

import type { PcapCapture } from "../../net/pcap.ts";
import type { Logger } from "../../net/logger.ts";
import { ConnectionBudget } from "../../net/connection_budget.ts";
import {
  listenerThreadCount,
  type ListenerThreads,
  listenMain,
  startListenerThreads,
} from "../../net/listener_threads.ts";
import {
  type GradingThreadSettings,
  type ThreadCall,
  TRACE_MARK,
} from "./grading_thread_settings.ts";
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
  /**
   * Threads that listen, Linux only (elsewhere always 1); default 1. They
   * share one count of connections for `maxConnections`, and send their
   * scores, `onStart` and `onOutcome` to this thread. Always 1 with a
   * `capture`, which lives in one thread.
   */
  workers?: number | undefined;
}

/**
 * A running grading server.
 *
 * @example
 * ```ts
 * import { type GradingService, serveGrading } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * await using server: GradingService = serveGrading({ hostname: "127.0.0.1", log() {} });
 * assert.equal(server.threads, 1);
 * assert.equal(server.threadSessions, 0);
 * ```
 */
export interface GradingService extends TcpService {
  /** Threads listening on the port: `workers`, or 1 where the port cannot be shared. */
  readonly threads: number;
  /**
   * Connections the other listener threads have accepted so far (0 with one
   * thread; they start with the first connection).
   */
  readonly threadSessions: number;
}

/** Answers a connection over the limit of `limit` with {@linkcode busyResult}. */
export function rejectBusy(log: Logger, limit: number): (conn: Deno.Conn) => Promise<void> {
  return async (conn) => {
    log(`[${formatAddress(conn.remoteAddr)}] Refused: ${limit} connections are open`);
    await writeAll(conn, busyResult(limit));
  };
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
export function serveGrading(options: GradingServerOptions = {}): GradingService {
  const settings = gradingSessionSettings(options);
  const log = options.log ?? console.log;
  const maxConnections = options.maxConnections ?? DEFAULT_GRADING_CONNECTIONS;
  if (!(maxConnections >= 1)) {
    throw new RangeError(`maxConnections must be >= 1, got ${maxConnections}`);
  }
  let threads = listenerThreadCount(options.workers, options.capture, log);
  // One budget for every thread: the limit is on their sum.
  const budget = ConnectionBudget.create(maxConnections, threads);
  let open = 0;
  let threadSessions = 0;
  let stopping: Promise<void> | undefined;
  const listen = (reusePort: boolean) =>
    serveTcp({ ...options, reusePort }, async (conn, shutdown) => {
      open++;
      startThreads();
      try {
        options.onStart?.(formatAddress(conn.remoteAddr));
        // Reported once the result is written, not once the client has closed.
        await gradeConnection(conn, settings, log, { shutdown, answered: options.onOutcome });
      } finally {
        open--;
      }
    }, {
      log,
      maxConnections: budget,
      capture: options.capture,
      reject: rejectBusy(log, maxConnections),
    });
  const listening = listenMain(options, threads, listen, log);
  const main = listening.main;
  threads = listening.threads;
  // As on the compute server, the other listener threads start with the
  // first client; until they listen, the main thread takes every connection.
  let workers: ListenerThreads | undefined;
  function startThreads(): void {
    if (workers !== undefined || threads === 1 || stopping !== undefined) return;
    const threadSettings: GradingThreadSettings = {
      listen: { hostname: options.hostname, port: main.port },
      session: {
        plaintextSize: settings.plaintextSize,
        timeoutMs: settings.timeoutMs,
        replyLimitMs: settings.replyLimitMs,
        drainMs: settings.drainMs,
        roster: settings.roster,
      },
      store: settings.store !== undefined,
      trace: settings.trace !== undefined,
      onStart: options.onStart !== undefined,
      onOutcome: options.onOutcome !== undefined,
    };
    workers = startListenerThreads(
      new URL("./grading_thread.ts", import.meta.url),
      threads - 1,
      threadSettings,
      budget,
      {
        log: (line) =>
          line.startsWith(TRACE_MARK) ? settings.trace?.(line.slice(TRACE_MARK.length)) : log(line),
        opened: () => {
          open++;
          threadSessions++;
        },
        ended: () => open--,
        // The one score store, and the hooks, answer every thread here.
        call: (request) => {
          const call = request as ThreadCall;
          if (call.t === "record") {
            if (settings.store === undefined) throw new Error("This server keeps no database");
            return settings.store.record(call.sid, 1, call.score);
          }
          if (call.t === "start") return options.onStart?.(call.peer);
          return options.onOutcome?.(call.outcome);
        },
      },
    );
  }
  let resolveFinished!: () => void;
  const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
  function close(
    { force = true, graceMs, goodbyeMs }: Parameters<TcpService["close"]>[0] & object = {},
  ): Promise<void> {
    stopping ??= (async () => {
      await Promise.all([
        main.close({ force, graceMs, goodbyeMs }),
        workers?.close(force, graceMs),
      ]);
      resolveFinished();
    })();
    return stopping;
  }
  return {
    addrs: main.addrs,
    port: main.port,
    get active() {
      return open;
    },
    threads,
    get threadSessions() {
      return threadSessions;
    },
    finished,
    close,
    [Symbol.asyncDispose]: () => close(),
  };
}
