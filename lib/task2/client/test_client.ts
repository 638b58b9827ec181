/**
 * The course's Task 2 test client as a library: N connections at once,
 * named Client1..ClientN, each sending its name, six requests and COMPLETE,
 * checking every reply, and a score at the end. The clients wait for each
 * other after the handshake, so a server that serves one client at a time
 * is found out.
 *
 * @module
 */

import type { PcapCapture } from "../../net/pcap.ts";
import { hostPort } from "../../net/connect.ts";
import { type Diagnosis, DiagnosisList } from "../../net/diagnosis.ts";
import { diagnoseTask2 } from "./mistakes.ts";
import type { Logger } from "../../net/logger.ts";
import { Barrier } from "./barrier.ts";
import { uuidDigits } from "../protocol/client_uuid.ts";
import { COURSE_FILE_BYTES, type WriteMode } from "./test_requests.ts";
import { type Score, scoreOutcomes } from "./test_score.ts";
import { type ClientReport, runSession } from "./test_session.ts";

/**
 * Options of {@linkcode runTestClient}. The defaults are the course's run.
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
  /** Total time to connect, to get the UUID, and for each whole reply, in ms; default 10000. */
  timeoutMs?: number;
  /** Total time for one client's whole session, in ms; default 120000. */
  sessionMs?: number;
  /** How long clients with a UUID wait for the others to get theirs, in ms; default 5000. */
  barrierMs?: number;
  /** How messages are cut into writes; default `paused`, the course's way. */
  writeMode?: WriteMode;
  /** The largest FILE body in bytes; default {@linkcode COURSE_FILE_BYTES}. */
  maxFileBytes?: number;
  /** The smallest n; default 1. */
  minN?: number;
  /** The largest n; default 9, as the course. */
  maxN?: number;
  /** The most bytes one reply may have before the client stops reading; default 64 KiB. */
  maxReplyBytes?: number;
  /** Uniform numbers in [0, 1) for the requests; default `Math.random`. */
  random?: () => number;
  /** Receives the progress lines; default `console.log`. */
  log?: Logger;
  /** Receives a line per message sent or chunk received, if given. */
  trace?: Logger;
  /** Records every connection's exchange (`--pcap`), if given. */
  capture?: PcapCapture | undefined;
}

/**
 * The outcome of a run.
 *
 * @example
 * ```ts no-assert
 * import { scoreOutcomes, type TestReport } from "@cs341/practice2/task2";
 *
 * const report: TestReport = {
 *   clients: [], score: scoreOutcomes([]), sequential: false, notes: [], diagnoses: [],
 * };
 * console.log(`${report.score.total}/${report.score.max}`);
 * ```
 */
export interface TestReport {
  /** One report per connection, Client1 first. */
  clients: ClientReport[];
  /** The score over all of them. */
  score: Score;
  /** Whether the server served its clients one at a time (some got no UUID while others waited). */
  sequential: boolean;
  /** Run-level findings, one line each: nothing listening, one client at a time. */
  notes: string[];
  /** The mistakes found on the wire, by their cause (see docs/mistakes.md); none for a right server. */
  diagnoses: Diagnosis[];
}

/** The defaults of {@linkcode TestClientOptions}. */
export const TEST_CLIENT_DEFAULTS = {
  clients: 4,
  pauseMs: 150,
  timeoutMs: 10_000,
  sessionMs: 120_000,
  barrierMs: 5_000,
  maxReplyBytes: 64 * 1024,
} as const;

/** Fails the requests of clients that were given the same UUID. */
function checkDistinct(clients: ClientReport[], log: Logger): void {
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
      if (result.status === "right") result.status = "wrong";
      result.detail = client.error;
    }
  }
}

/**
 * The one line for a refused connection: nothing listens on the address,
 * and a server bound to another one needs `--host`.
 *
 * @example
 * ```ts
 * import { nothingListens } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   nothingListens("127.0.0.1", 1234),
 *   "Nothing listens on 127.0.0.1:1234 (connection refused); " +
 *     "a server bound to another address needs --host",
 * );
 * ```
 */
export function nothingListens(hostname: string, port: number): string {
  return `Nothing listens on ${hostPort(hostname, port)} (connection refused); ` +
    "a server bound to another address needs --host";
}

function names(clients: readonly ClientReport[]): string {
  return clients.map((client) => client.name).join(", ");
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
 *   pauseMs: 10,
 *   log() {},
 * });
 * assert.equal(report.score.total, 40);
 * assert.equal(report.sequential, false);
 * assert.equal(report.clients[1]!.uuid, "c5fdeac9dbd9322ca157a09ac7052824");
 * ```
 */
export async function runTestClient(options: TestClientOptions): Promise<TestReport> {
  const settings = { ...TEST_CLIENT_DEFAULTS, writeMode: "paused" as WriteMode, ...options };
  const log = options.log ?? console.log;
  if (!Number.isSafeInteger(settings.clients) || settings.clients < 1) {
    throw new RangeError(`clients must be a whole number >= 1, got ${settings.clients}`);
  }
  const session = {
    hostname: settings.hostname,
    port: settings.port,
    pauseMs: settings.pauseMs,
    timeoutMs: settings.timeoutMs,
    sessionMs: settings.sessionMs,
    barrierMs: settings.barrierMs,
    writeMode: settings.writeMode,
    plan: {
      random: options.random ?? Math.random,
      maxFileBytes: options.maxFileBytes ?? COURSE_FILE_BYTES,
      minN: options.minN ?? 1,
      maxN: options.maxN ?? 9,
    },
    maxReplyBytes: settings.maxReplyBytes,
    log,
    trace: options.trace,
    capture: options.capture,
    start: performance.now(),
    uuids: new Map<string, string>(),
  };
  using barrier = new Barrier(settings.clients, settings.barrierMs);
  const all = Array.from({ length: settings.clients }, (_, i) => `Client${i + 1}`);
  const clients = await Promise.all(all.map((name) => runSession(name, session, barrier)));
  checkDistinct(clients, log);
  const notes: string[] = [];
  if (clients.some((client) => client.refused)) {
    notes.push(nothingListens(settings.hostname, settings.port));
  }
  const unserved = clients.filter((client) => client.unserved);
  const sequential = unserved.length > 0;
  if (sequential) {
    const served = clients.filter((client) => client.uuid !== undefined);
    notes.push(
      `The server served its clients one at a time: ${names(unserved)} got no UUID within ` +
        `${settings.barrierMs} ms while ${names(served)} waited; only clients served at once count`,
    );
  }
  for (const note of notes) log(note);
  const score = scoreOutcomes(clients.map((client) => client.requests));
  const found = new DiagnosisList();
  for (const client of clients) found.add(client.diagnoses);
  found.add(diagnoseTask2({
    kind: "run",
    unserved: unserved.map((client) => client.name),
    served: clients.filter((client) => client.uuid !== undefined).map((client) => client.name),
    barrierMs: settings.barrierMs,
  }));
  return { clients, score, sequential, notes, diagnoses: found.list() };
}
