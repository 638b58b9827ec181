/**
 * The course's Task 2 test client as a library: N connections at once,
 * named Client1..ClientN, each sending its name, six requests and COMPLETE,
 * checking every reply, and a score at the end.
 *
 * @module
 */

import { ByteSource } from "../net/byte_source.ts";
import { clientUuid, isUuidText, uuidDigits } from "./client_uuid.ts";
import { connectTcp } from "../net/connect.ts";
import { closeQuietly } from "../net/deadline.ts";
import { checkReply, isUuidPrefix, isWholeReply, shorten } from "./reply_check.ts";
import { showBytes } from "../net/peer_text.ts";
import { planRequests, type RequestType, splitWrites, type WriteMode } from "./test_requests.ts";
import { type Score, scoreOutcomes } from "./test_score.ts";
import { writeAll } from "../net/write_all.ts";
import { describeError } from "../net/errors.ts";

/**
 * Options of {@linkcode runTestClient}.
 */
export interface TestClientOptions {
  /** The server's host. */
  hostname: string;
  /** The server's port. */
  port: number;
  /** Connections at once; default 4. */
  clients?: number;
  /** Pause between writes, in milliseconds; default 150. */
  pauseMs?: number;
  /** Time limit for connecting and for each reply, in milliseconds; default 10000. */
  timeoutMs?: number;
  /** How messages are cut into writes; default `paused`, the course's way. */
  writeMode?: WriteMode;
  /** The largest FILE body in bytes; default 300000. */
  maxFileBytes?: number;
  /** Uniform numbers in [0, 1) for the requests; default `Math.random`. */
  random?: () => number;
  /** Receives the progress lines; default `console.log`. */
  log?: (line: string) => void;
}

/**
 * One request's outcome.
 *
 * @example
 * ```ts
 * import type { RequestResult } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const result: RequestResult = { type: "FIBONACCI", label: "FIBONACCI 7", ok: true, detail: "Okay" };
 * assert.ok(result.ok);
 * ```
 */
export interface RequestResult {
  /** The request type. */
  type: RequestType;
  /** Such as `FIBONACCI 7`. */
  label: string;
  /** Whether the reply was right. */
  ok: boolean;
  /** `Okay`, or what went wrong. */
  detail: string;
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
  /** Doubts that cost no points, such as a UUID that is not uuid3(DNS, name). */
  warnings: string[];
}

/**
 * The outcome of a run.
 *
 * @example
 * ```ts
 * import type { TestReport } from "@cs341/practice2/task2";
 * import { scoreOutcomes } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const report: TestReport = { clients: [], score: scoreOutcomes([]) };
 * assert.equal(report.score.total, 0);
 * ```
 */
export interface TestReport {
  /** One report per connection, Client1 first. */
  clients: ClientReport[];
  /** The score over all of them. */
  score: Score;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads until `done(text)` holds, the stream ends, or `ms` pass quietly. */
async function readUntil(
  source: ByteSource,
  ms: number,
  done: (text: string) => boolean,
): Promise<{ text: string; end: "done" | "eof" | "quiet" }> {
  let text = "";
  for (;;) {
    const result = await source.wait(ms);
    if (result !== "data") return { text, end: result };
    text += showBytes(source.takeUpTo(Number.POSITIVE_INFINITY));
    if (done(text)) return { text, end: "done" };
  }
}

async function runConnection(
  name: string,
  options: Required<Omit<TestClientOptions, "random">> & { random: () => number },
): Promise<ClientReport> {
  const log = (line: string) => options.log(`[${name}] ${line}`);
  const plan = planRequests({ random: options.random, maxFileBytes: options.maxFileBytes });
  const report: ClientReport = { name, requests: [], warnings: [] };
  const results = plan.map((request) => ({
    type: request.type,
    label: request.label,
    ok: false,
    detail: "not sent",
  }));
  report.requests = results;
  const { hostname, port, pauseMs, timeoutMs } = options;
  let conn: Deno.TcpConn;
  try {
    conn = await connectTcp(hostname, port, timeoutMs);
  } catch (error) {
    report.error = describeError(error);
    log(`Failed: ${report.error}`);
    return report;
  }
  const send = async (messages: readonly string[]) => {
    const groups = splitWrites(messages, options.writeMode);
    for (const [i, group] of groups.entries()) {
      if (i > 0) await sleep(pauseMs);
      for (const bytes of group) await writeAll(conn, bytes);
    }
  };
  try {
    log(`Socket connected to ${hostname}:${port}`);
    const source = new ByteSource(conn.readable);
    await send([name]);
    const hello = await readUntil(
      source,
      timeoutMs,
      (text) => isUuidText(text) || !isUuidPrefix(text),
    );
    if (!isUuidText(hello.text) && hello.end === "done") {
      // Not a UUID: collect the rest of what the server says, for the message.
      const rest = await readUntil(source, Math.min(timeoutMs, 200), () => false);
      hello.text += rest.text;
      hello.end = rest.end;
    }
    if (!isUuidText(hello.text)) {
      const got = hello.text === "" ? "nothing" : `'${shorten(hello.text)}'`;
      const when = hello.end === "eof" || hello.text === "" ? ending(hello.end) : "";
      throw new Error(`expected a UUID after sending the name, got ${got}${when}`);
    }
    const uuid = hello.text;
    report.uuid = uuid;
    log(`UUID: ${uuid}`);
    if (uuidDigits(uuid) !== clientUuid(name)) {
      const warning = `UUID is not uuid3(NAMESPACE_DNS, '${name}') = ${clientUuid(name)}`;
      report.warnings.push(warning);
      log(`Warning: ${warning}`);
    }
    for (const [i, request] of plan.entries()) {
      await sleep(pauseMs);
      results[i]!.detail = "sending";
      await send(request.messages);
      results[i]!.detail = "waiting";
      const reply = await readUntil(source, timeoutMs, isWholeReply);
      const result = results[i]!;
      result.detail = reply.end === "done"
        ? checkReply(reply.text, request.expected, uuid)
        : `no reply${ending(reply.end)}${reply.text ? `, got '${shorten(reply.text)}'` : ""}`;
      result.ok = result.detail === "Okay";
      log(result.ok ? `${request.type} Okay` : `${request.label} Failed: ${result.detail}`);
      if (reply.end !== "done") throw new Error("the connection is no longer usable");
    }
    await sleep(pauseMs);
    await send(["COMPLETE"]);
    const after = await readUntil(source, Math.min(timeoutMs, 2000), () => false);
    if (after.end !== "eof" || after.text !== "") {
      const warning = after.text === ""
        ? "the server did not close the connection after COMPLETE"
        : `the server answered COMPLETE with '${shorten(after.text)}'`;
      report.warnings.push(warning);
      log(`Warning: ${warning}`);
    }
  } catch (error) {
    report.error = describeError(error);
    for (const result of results) {
      if (result.detail === "sending") result.detail = `could not send: ${report.error}`;
      if (result.detail === "waiting") result.detail = `no reply: ${report.error}`;
    }
    const unsent = results.filter((result) => result.detail === "not sent").length;
    log(`Failed: ${report.error}${unsent > 0 ? `; ${unsent} request(s) not sent` : ""}`);
  } finally {
    closeQuietly(conn);
  }
  return report;
}

function ending(end: "done" | "eof" | "quiet"): string {
  if (end === "eof") return " before the server closed the connection";
  if (end === "quiet") return " within the time limit";
  return "";
}

/** Fails the requests of clients that were given the same UUID. */
function checkDistinct(clients: ClientReport[], log: (line: string) => void): void {
  const owners = new Map<string, string>();
  for (const client of clients) {
    if (client.uuid === undefined) continue;
    const first = owners.get(uuidDigits(client.uuid));
    if (first === undefined) {
      owners.set(uuidDigits(client.uuid), client.name);
      continue;
    }
    client.error = `UUID ${client.uuid} is also ${first}'s; UUIDs must differ`;
    log(`[${client.name}] Failed: ${client.error}`);
    for (const result of client.requests) {
      result.ok = false;
      result.detail = client.error;
    }
  }
}

/**
 * Runs the test: connects `clients` times at once and returns every
 * outcome and the score. It throws only for bad options; server faults are
 * reported in the result.
 *
 * @example
 * ```ts
 * import { runTestClient } from "@cs341/practice2/task2";
 * import { serveCompute } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * await using server = serveCompute({ hostname: "127.0.0.1", gapMs: 5, log() {} });
 * const report = await runTestClient({
 *   hostname: "127.0.0.1",
 *   port: server.port,
 *   clients: 2,
 *   pauseMs: 1,
 *   maxFileBytes: 1000,
 *   log() {},
 * });
 * assert.equal(report.score.total, 40);
 * assert.equal(report.clients[1]!.uuid, "c5fdeac9dbd9322ca157a09ac7052824");
 * ```
 */
export async function runTestClient(options: TestClientOptions): Promise<TestReport> {
  const settings = {
    clients: 4,
    pauseMs: 150,
    timeoutMs: 10_000,
    writeMode: "paused" as WriteMode,
    maxFileBytes: 300_000,
    random: Math.random,
    log: console.log,
    ...options,
  };
  if (!Number.isSafeInteger(settings.clients) || settings.clients < 1) {
    throw new RangeError(`clients must be a whole number >= 1, got ${settings.clients}`);
  }
  const names = Array.from({ length: settings.clients }, (_, i) => `Client${i + 1}`);
  const clients = await Promise.all(names.map((name) => runConnection(name, settings)));
  checkDistinct(clients, settings.log);
  return { clients, score: scoreOutcomes(clients.map((client) => client.requests)) };
}
