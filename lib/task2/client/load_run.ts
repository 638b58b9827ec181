/**
 * Load mode of the test client: for people who want to know what their
 * server can take. N clients run course sessions (name, UUID, six requests,
 * COMPLETE) back to back for a time or a number of rounds, and the run
 * reports right answers per second, latency percentiles and errors by kind.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import { ByteSource } from "../../net/byte_source.ts";
import { connectTcp } from "../../net/connect.ts";
import { closeQuietly } from "../../net/deadline.ts";
import { ConnectionError } from "../../net/errors.ts";
import { writeAll } from "../../net/write_all.ts";
import { isUuidText } from "../protocol/client_uuid.ts";
import { LatencySamples, type LoadReport } from "./load_stats.ts";
import { checkReply } from "../protocol/reply_check.ts";
import { type ReadEnd, ReplyReader } from "./server_reply_reader.ts";
import { TEST_CLIENT_DEFAULTS } from "./test_client.ts";
import { planRequests, splitWrites } from "./test_requests.ts";

/**
 * Where a load run stands, for a progress line.
 *
 * @example
 * ```ts no-assert
 * import type { LoadProgress } from "@cs341/practice2/task2";
 *
 * const progress: LoadProgress = { elapsedMs: 1000, requests: 500, errors: 0 };
 * console.log(`${progress.requests} requests in ${progress.elapsedMs} ms`);
 * ```
 */
export interface LoadProgress {
  /** Since the run began. */
  elapsedMs: number;
  /** Right answers so far. */
  requests: number;
  /** Failures so far. */
  errors: number;
}

/**
 * Options of {@linkcode runLoad}: `durationMs` or `rounds` (sessions per
 * client) ends the run; with both, whichever comes first.
 */
export interface LoadOptions {
  /** The server's host. */
  hostname: string;
  /** The server's port. */
  port: number;
  /** Connections at once. */
  clients: number;
  /** Stop starting requests after this long. */
  durationMs?: number;
  /** Sessions per client. */
  rounds?: number;
  /** `course`: each message its own write, with pauses; `single`: one write per request. */
  style: "course" | "single";
  /** Pause between writes in `course` style; default 150. */
  pauseMs?: number;
  /** Total time to connect, for the UUID and for each reply; default 10000. */
  timeoutMs?: number;
  /** The most bytes one reply may have; default 64 KiB. */
  maxReplyBytes?: number;
  /** Called every `progressMs` (default 250) while the run lasts. */
  onProgress?: (progress: LoadProgress) => void;
  /** How often `onProgress` is called. */
  progressMs?: number;
}

const READ_ERRORS: Record<Exclude<ReadEnd, "done">, string> = {
  eof: "closed by server",
  timeout: "timeout",
  cap: "reply too long",
};

function replyError(detail: string): string {
  if (detail.startsWith("server replied")) return "ERROR reply";
  if (detail.startsWith("reply ends with UUID")) return "wrong UUID";
  return "wrong answer";
}

/**
 * Runs the load and reports it. Failed sessions are counted by kind and
 * the client starts a new one.
 *
 * @example
 * ```ts
 * import { runLoad, serveCompute } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * await using server = serveCompute({ hostname: "127.0.0.1", gapMs: 5, log() {} });
 * const report = await runLoad({
 *   hostname: "127.0.0.1",
 *   port: server.port,
 *   clients: 3,
 *   rounds: 2,
 *   style: "single",
 * });
 * assert.equal(report.sessions, 6);
 * assert.equal(report.requests, 36);
 * assert.deepEqual(report.errors, {});
 * ```
 */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  if (options.durationMs === undefined && options.rounds === undefined) {
    throw new RangeError("runLoad() needs durationMs or rounds");
  }
  const pauseMs = options.pauseMs ?? TEST_CLIENT_DEFAULTS.pauseMs;
  const timeoutMs = options.timeoutMs ?? TEST_CLIENT_DEFAULTS.timeoutMs;
  const cap = options.maxReplyBytes ?? TEST_CLIENT_DEFAULTS.maxReplyBytes;
  const mode = options.style === "course" ? "paused" : "single";
  const start = performance.now();
  const end = start + (options.durationMs ?? Number.POSITIVE_INFINITY);
  const samples = new LatencySamples();
  const errors: Record<string, number> = {};
  let failures = 0;
  let sessions = 0;
  const fail = (kind: string) => {
    errors[kind] = (errors[kind] ?? 0) + 1;
    failures++;
  };
  const timeUp = () => performance.now() >= end;

  // One session; returns false when it failed.
  const session = async (name: string): Promise<boolean> => {
    let conn: Deno.TcpConn;
    try {
      conn = await connectTcp(options.hostname, options.port, timeoutMs);
    } catch (error) {
      const refused = error instanceof ConnectionError &&
        error.cause instanceof Deno.errors.ConnectionRefused;
      fail(refused ? "refused" : error instanceof ConnectionError ? "connect failed" : "timeout");
      return false;
    }
    try {
      conn.setNoDelay(true); // writes go out as they are, never merged by Nagle
      using source = new ByteSource(conn.readable);
      const reader = new ReplyReader(source);
      const send = async (messages: readonly string[]) => {
        for (const [i, group] of splitWrites(messages, mode).entries()) {
          if (i > 0) await sleep(pauseMs);
          for (const bytes of group) await writeAll(conn, bytes);
        }
      };
      await send([name]);
      const hello = await reader.readUuid(performance.now() + timeoutMs);
      if (!isUuidText(hello.text)) {
        fail(hello.end === "done" ? "no UUID" : READ_ERRORS[hello.end]);
        return false;
      }
      for (const request of planRequests()) {
        if (timeUp()) break;
        if (mode === "paused") await sleep(pauseMs);
        await send(request.messages);
        const sent = performance.now();
        const reply = await reader.readReply(sent + timeoutMs, cap);
        if (reply.end !== "done") {
          fail(READ_ERRORS[reply.end]);
          return false;
        }
        const detail = checkReply(reply.raw, request.expected, hello.raw);
        if (detail !== "Okay") {
          fail(replyError(detail));
          return false;
        }
        samples.add(performance.now() - sent);
      }
      await send(["COMPLETE"]);
      await reader.readRest(performance.now() + Math.min(timeoutMs, 1000), 1024);
      sessions++;
      return true;
    } catch {
      fail("connection lost");
      return false;
    } finally {
      closeQuietly(conn);
    }
  };

  const client = async (name: string) => {
    for (let round = 0; round < (options.rounds ?? Number.POSITIVE_INFINITY); round++) {
      if (timeUp()) return;
      // After a failure, wait a little before the next try, so a dead
      // server is not hammered.
      if (!await session(name)) await sleep(Math.max(pauseMs, 50));
    }
  };

  const progress = () =>
    options.onProgress?.({
      elapsedMs: performance.now() - start,
      requests: samples.count,
      errors: failures,
    });
  const timer = setInterval(progress, options.progressMs ?? 250);
  try {
    const names = Array.from({ length: options.clients }, (_, i) => `Client${i + 1}`);
    await Promise.all(names.map(client));
  } finally {
    clearInterval(timer);
  }
  progress();
  const seconds = (performance.now() - start) / 1000;
  return {
    clients: options.clients,
    style: options.style,
    seconds,
    sessions,
    requests: samples.count,
    perSecond: seconds > 0 ? samples.count / seconds : 0,
    latencyMs: samples.summary(),
    errors,
  };
}
