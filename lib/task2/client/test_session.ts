/**
 * One connection of the Task 2 test client: connect, send the name, read
 * the UUID, wait at the concurrency barrier, send each request and check
 * its reply, then `COMPLETE`. Every read has a deadline and a cap, and the
 * whole session has a deadline that closes the socket when it passes.
 *
 * @module
 */

import type { PcapCapture } from "../../net/pcap.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { ByteSource } from "../../net/byte_source.ts";
import { connectTcp } from "../../net/connect.ts";
import { closeQuietly } from "../../net/deadline.ts";
import { ConnectionError, describeError } from "../../net/errors.ts";
import type { Logger } from "../../net/logger.ts";
import { writeAll } from "../../net/write_all.ts";
import type { Barrier } from "./barrier.ts";
import { clientUuid, isUuidText, uuidDigits } from "../protocol/client_uuid.ts";
import { judgeReply, shorten } from "../protocol/reply_check.ts";
import { type Diagnosis, DiagnosisList, formatCauses } from "../../net/diagnosis.ts";
import { diagnoseTask2, type Task2Evidence } from "./mistakes.ts";
import { type ReadResult, ReplyReader } from "./server_reply_reader.ts";
import {
  type PlanOptions,
  planRequests,
  type RequestType,
  splitWrites,
  type WriteMode,
} from "./test_requests.ts";
import { traceLine } from "../protocol/trace.ts";

/** How a compute server shutting down answers a request (lib/task2/server). */
const SHUTDOWN_REPLY = /^ERROR Server shutting down\b/;

/**
 * Where a request stands: `not-sent`, `sending`, `waiting` for its reply,
 * then `right`, `wrong` (a whole reply, not the right one), or `missing`
 * (no whole reply: the connection is out of step, the client stops there).
 *
 * @example
 * ```ts no-assert
 * import type { RequestStatus } from "@cs341/practice2/task2";
 *
 * const status: RequestStatus = "missing"; // no reply within the time limit
 * console.log(status);
 * ```
 */
export type RequestStatus = "not-sent" | "sending" | "waiting" | "right" | "wrong" | "missing";

/**
 * One request's outcome.
 *
 * @example
 * ```ts no-assert
 * import type { RequestResult } from "@cs341/practice2/task2";
 *
 * const result: RequestResult = {
 *   type: "FIBONACCI", label: "FIBONACCI 7", status: "right", ok: true, detail: "Okay",
 * };
 * console.log(`${result.label}: ${result.detail}`);
 * ```
 */
export interface RequestResult {
  /** The request type. */
  type: RequestType;
  /** Such as `FIBONACCI 7`; `FILE (WORD_COUNT) of 19 bytes` for a word count. */
  label: string;
  /** Where it stands. */
  status: RequestStatus;
  /** Whether the reply was right (`status` is `right`). */
  ok: boolean;
  /** `Okay`, `not sent`, or what went wrong (server text escaped): for display. */
  detail: string;
  /** The likely cause, when the catalogue names one (`LIKELY CAUSE: ...`). */
  cause?: string;
}

/**
 * One connection's outcome.
 */
export interface ClientReport {
  /** `Client1` and so on. */
  name: string;
  /** The UUID the server gave, if it gave one. */
  uuid?: string;
  /** Every planned request, sent or not. */
  requests: RequestResult[];
  /** The error that ended the connection early, if any. */
  error?: string;
  /** The connection was refused: nothing listens there. */
  refused?: boolean;
  /** Got no UUID while the other clients waited at the barrier. */
  unserved?: boolean;
  /** Doubts that cost no points, such as a UUID that is not uuid3(DNS, name). */
  warnings: string[];
  /** The mistakes found on this connection, by their cause (see docs/mistakes.md). */
  diagnoses: Diagnosis[];
}

/** Everything a session needs; {@linkcode runTestClient} fills it in. */
export interface SessionSettings {
  /** The server's host. */
  hostname: string;
  /** The server's port. */
  port: number;
  /** Pause between writes. */
  pauseMs: number;
  /** Total time for connecting, for the UUID, and for each whole reply. */
  timeoutMs: number;
  /** Total time for the whole session. */
  sessionMs: number;
  /** The barrier's limit, for messages. */
  barrierMs: number;
  /** How messages are cut into writes. */
  writeMode: WriteMode;
  /** How requests are drawn. */
  plan: PlanOptions;
  /** The most bytes one reply may have. */
  maxReplyBytes: number;
  /** Receives the progress lines. */
  log: Logger;
  /** Receives `--trace` lines, if tracing. */
  trace: Logger | undefined;
  /** Records the exchange (`--pcap`), if given. */
  capture?: PcapCapture | undefined;
  /** `performance.now()` when the run began, for trace times. */
  start: number;
  /** Every client's UUID by name, as they arrive (a reply may carry another's). */
  uuids: Map<string, string>;
}

/** Why a reply is missing: `no reply within 100 ms`, `no whole reply ... got '...'`. */
function missing(read: ReadResult, within: string, cap: number): string {
  const what = read.bytes > 0 ? "no whole reply" : "no reply";
  const got = read.bytes > 0 ? `, got '${shorten(read.text)}'` : "";
  if (read.end === "eof") return `${what} before the server closed the connection${got}`;
  if (read.end === "cap") return `${what} within ${cap} bytes; stopped reading${got}`;
  return `${what} within ${within}${got}`;
}

/**
 * Runs one client's session and reports it; never throws.
 */
export async function runSession(
  name: string,
  settings: SessionSettings,
  barrier: Barrier,
): Promise<ClientReport> {
  const log = (line: string) => settings.log(`[${name}] ${line}`);
  const trace = settings.trace === undefined
    ? undefined
    : (arrow: "->" | "<-", bytes: Uint8Array) =>
      settings.trace!(traceLine(name, performance.now() - settings.start, arrow, bytes));
  const plan = planRequests(settings.plan);
  const results: RequestResult[] = plan.map((request) => ({
    type: request.type,
    label: request.label,
    status: "not-sent",
    ok: false,
    detail: "not sent",
  }));
  const found = new DiagnosisList();
  const report: ClientReport = { name, requests: results, warnings: [], diagnoses: [] };
  /** Diagnoses `evidence`; the causes in one line, or `""`. */
  const diagnosed = (evidence: Task2Evidence): string => {
    const diagnoses = diagnoseTask2(evidence);
    found.add(diagnoses);
    return formatCauses(diagnoses, 400);
  };
  const withCause = (line: string, cause: string) => (cause ? `${line}; ${cause}` : line);
  const { hostname, port, pauseMs, timeoutMs, sessionMs, maxReplyBytes: cap } = settings;
  const sessionEnd = performance.now() + sessionMs;
  const deadline = (ms = timeoutMs) => Math.min(performance.now() + ms, sessionEnd);
  let counted = false; // arrived at, or left, the barrier
  let conn: Deno.TcpConn;
  try {
    conn = await connectTcp(hostname, port, Math.min(timeoutMs, sessionMs), settings.capture);
  } catch (error) {
    barrier.leave();
    report.error = describeError(error);
    report.refused = error instanceof ConnectionError &&
      error.cause instanceof Deno.errors.ConnectionRefused;
    if (!report.refused) log(`Failed: ${report.error}`);
    return report;
  }
  // Every write goes out as it is: Nagle's algorithm would merge the pieces.
  conn.setNoDelay(true);
  let overtime = false;
  const timer = setTimeout(() => {
    overtime = true;
    closeQuietly(conn);
  }, sessionMs);
  const send = async (messages: readonly string[], mode: WriteMode = settings.writeMode) => {
    for (const [i, group] of splitWrites(messages, mode).entries()) {
      if (i > 0) await sleep(pauseMs);
      if (trace) trace("->", new Uint8Array(group.flatMap((bytes) => [...bytes])));
      for (const bytes of group) await writeAll(conn, bytes);
    }
  };
  using source = new ByteSource(conn);
  const reader = new ReplyReader(source, trace && ((bytes) => trace("<-", bytes)));
  /** The last request answered whole, for a server that closes after it. */
  let previous: string | undefined;
  let answered = 0;
  try {
    log(`Socket connected to ${hostname}:${port}`);
    // The name always goes in one write: the documented framing ends a name at the first write
    // boundary (docs/protocol.md, Framing), so no mode may split it.
    await send([name], "paused");
    const reading = reader.readUuid(deadline());
    const first = await Promise.race([reading, barrier.settled.then(() => "expired" as const)]);
    if (first === "expired") {
      counted = true;
      report.unserved = true;
      closeQuietly(conn);
      await reading.catch(() => {});
      throw new Error(
        `no UUID within ${settings.barrierMs} ms while the other clients waited for theirs`,
      );
    }
    const hello = first;
    let end = hello.end;
    if (!isUuidText(hello.raw) && end === "done") {
      // Not a UUID: collect a little more of what the server says, for the message.
      const rest = await reader.readRest(deadline(Math.min(timeoutMs, 200)), 200);
      hello.text += rest.text;
      hello.raw += rest.raw;
      hello.bytes += rest.bytes;
      end = rest.end;
    }
    if (!isUuidText(hello.raw)) {
      const got = hello.bytes === 0 ? "nothing" : `'${shorten(hello.text)}'`;
      const when = end === "eof"
        ? " before the server closed the connection"
        : hello.bytes === 0
        ? ` within ${timeoutMs} ms`
        : "";
      const cause = diagnosed({ kind: "greeting", name, got: hello.raw, end });
      throw new Error(
        withCause(`expected a UUID after sending the name, got ${got}${when}`, cause),
      );
    }
    const uuid = hello.raw;
    report.uuid = uuid;
    settings.uuids.set(name, uuid);
    counted = true;
    barrier.arrive();
    log(`UUID: ${uuid}`);
    diagnosed({ kind: "uuid", name, uuid });
    if (uuidDigits(uuid) !== clientUuid(name)) {
      const warning = `UUID is not uuid3(NAMESPACE_DNS, '${name}') = ${clientUuid(name)}`;
      report.warnings.push(warning);
      log(`Warning: ${warning}`);
    }
    await barrier.settled;
    // The server shut down mid-session: one line, no diagnosis of the student.
    const shutDown = (raw: string) => {
      report.error = `the server shut down during the session: ${shorten(raw, 120)}`;
      log(`The server shut down during the session: ${shorten(raw, 120)}`);
      return report;
    };
    for (const [i, request] of plan.entries()) {
      const result = results[i]!;
      await sleep(pauseMs);
      result.status = "sending";
      try {
        await send(request.messages);
      } catch (error) {
        // A server shutting down said so before it closed: read that first.
        const said = await reader.readReply(performance.now() + 500, cap).catch(() => undefined);
        if (said !== undefined && SHUTDOWN_REPLY.test(said.raw)) {
          result.status = "missing";
          result.detail = "the server shut down";
          return shutDown(said.raw);
        }
        result.cause = diagnosed({
          kind: "no-reply",
          request,
          end: "error",
          got: "",
          previous,
          index: i + 1,
          of: plan.length,
          answered,
          error: describeError(error),
        });
        throw error;
      }
      result.status = "waiting";
      const by = deadline();
      const reply = await reader.readReply(by, cap);
      const within = by === sessionEnd ? `the session's ${sessionMs} ms` : `${timeoutMs} ms`;
      if (SHUTDOWN_REPLY.test(reply.raw)) {
        result.status = "missing";
        result.detail = "the server shut down";
        return shutDown(reply.raw);
      }
      if (reply.end === "done") {
        const judged = judgeReply(reply.raw, request.expected, uuid);
        result.status = judged.status === "right" ? "right" : "wrong";
        result.detail = judged.problem;
        if (judged.status !== "right") {
          const others = new Map([...settings.uuids].filter(([other]) => other !== name));
          const cause = diagnosed({
            kind: "reply",
            request,
            answer: judged.answer,
            replyUuid: judged.uuid,
            uuid,
            others,
            leading: judged.leading,
            trailing: judged.trailing,
          });
          if (cause) result.cause = cause;
        }
      } else {
        result.status = "missing";
        result.detail = missing(reply, within, cap);
        const cause = diagnosed({
          kind: "no-reply",
          request,
          end: reply.end,
          got: reply.raw,
          previous,
          index: i + 1,
          of: plan.length,
          answered,
        });
        if (cause) result.cause = cause;
      }
      result.ok = result.status === "right";
      const failed = withCause(`${request.label} Failed: ${result.detail}`, result.cause ?? "");
      if (result.status === "missing") {
        // The connection is out of step now: stop, in one line.
        // A wait bounded by the session's end ran out with the session,
        // even when its timer fired a hair before performance.now() got there.
        report.error = overtime || by === sessionEnd || performance.now() >= sessionEnd
          ? `the session took longer than ${sessionMs} ms; closed it`
          : result.detail;
        const unsent = plan.length - i - 1;
        const more = unsent > 0 ? `; stopped, ${unsent} request(s) not sent` : "";
        log(`${failed}${more}`);
        return report;
      }
      previous = request.label;
      answered++;
      log(result.ok ? `${request.type} Okay` : failed);
    }
    await sleep(pauseMs);
    let after;
    try {
      await send(["COMPLETE"]);
      after = await reader.readRest(deadline(Math.min(timeoutMs, 2000)), 1024);
    } catch (error) {
      const reset = error instanceof Deno.errors.ConnectionReset ||
        error instanceof Deno.errors.BrokenPipe;
      if (!reset) throw error;
      // Every request is answered: a reset now loses nothing, so it is a
      // warning, never a failure.
      diagnosed({ kind: "after-complete", end: "reset", got: "" });
      const warning = "the server reset the connection after COMPLETE instead of closing it";
      report.warnings.push(warning);
      log(`Warning: ${warning}`);
    }
    if (after && (after.end !== "eof" || after.bytes > 0)) {
      const warning = after.bytes === 0
        ? "the server did not close the connection after COMPLETE"
        : `the server answered COMPLETE with '${shorten(after.text)}'`;
      report.warnings.push(warning);
      log(`Warning: ${warning}`);
    }
  } catch (error) {
    report.error = overtime || performance.now() >= sessionEnd
      ? `the session took longer than ${sessionMs} ms; closed it`
      : describeError(error);
    for (const result of results) {
      if (result.status === "sending") {
        result.status = "missing";
        result.detail = `could not send: ${report.error}`;
      }
      if (result.status === "waiting") {
        result.status = "missing";
        result.detail = `no reply: ${report.error}`;
      }
    }
    const unsent = results.filter((result) => result.status === "not-sent").length;
    const cause = results.find((result) => result.cause !== undefined)?.cause ?? "";
    const line = withCause(`Failed: ${report.error}`, report.error.includes(cause) ? "" : cause);
    log(`${line}${unsent > 0 ? `; ${unsent} request(s) not sent` : ""}`);
  } finally {
    clearTimeout(timer);
    closeQuietly(conn);
    if (!counted) barrier.leave();
    report.diagnoses = found.list();
  }
  return report;
}
