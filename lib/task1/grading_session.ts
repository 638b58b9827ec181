/**
 * One Task 1 grading session: checks a client's header, sends it an
 * XOR-encrypted text, reads the decrypted reply while still sending, scores
 * it, stores the score, and answers with one result packet.
 *
 * @module
 */

import { closeQuietly, withTimeout } from "../net/deadline.ts";
import { HeaderError, ProtocolError } from "../net/errors.ts";
import { FrameReader } from "./frame_reader.ts";
import { MAX_DATA_SIZE, MAX_PACKET_SIZE } from "./header.ts";
import { MAX_SCORE, POINTS, randomKey, randomPlaintext, ReplyChecker } from "./grading.ts";
import type { GradingServerOptions } from "./grading_server.ts";
import { formatAddress } from "../net/listener.ts";
import { isStudentId } from "../scores/student_id.ts";
import { type DecodedPacket, encodePacket, packetsOf } from "./packet.ts";
import { writeAll } from "../net/write_all.ts";
import { xorCipher } from "./xor.ts";

/**
 * The keyword that asks for the score to be stored.
 *
 * @example
 * ```ts
 * import { SUBMIT_KEYWORD } from "./grading_server.ts";
 * import assert from "node:assert/strict";
 *
 * assert.match(SUBMIT_KEYWORD, /^[a-z]{4}$/);
 * assert.equal(SUBMIT_KEYWORD, "sbmt");
 * ```
 */
export const SUBMIT_KEYWORD = "sbmt";

/**
 * What became of one connection; also what the log line says.
 *
 * @example
 * ```ts
 * import { type GradingOutcome } from "./grading_server.ts";
 * import assert from "node:assert/strict";
 *
 * const outcome: GradingOutcome = {
 *   peer: "127.0.0.1:37808", sid: 20200000, keyword: "sbmt", score: 35,
 *   message: "DECRYPTED DATA MISMATCH: first difference at byte 3: got 0x41, expected 0x61", best: 50,
 * };
 * assert.ok(outcome.score < (outcome.best ?? 0));
 * ```
 */
export interface GradingOutcome {
  /** Peer address, `host:port`. */
  peer: string;
  /** The student id, once a valid header named one. */
  sid?: number;
  /** The header's keyword, once a valid header named one. */
  keyword?: string;
  /** Points earned. */
  score: number;
  /** The result packet's message (also sent to the client when it can be). */
  message: string;
  /** The best score after storing this one, when it was stored. */
  best?: number;
}

function checkFirstHeader(
  packet: { flag: number; keyword: string; sid: number; data: Uint8Array },
) {
  if (packet.flag !== 1) {
    throw new HeaderError(
      `Invalid header: flag ${packet.flag}, expected 1 on the lone header packet`,
    );
  }
  if (packet.data.length !== 0) {
    throw new HeaderError(
      `Invalid header: length ${16 + packet.data.length}, expected 16 (a header with no data)`,
    );
  }
  if (!/^[a-z]{4}$/.test(packet.keyword)) {
    throw new HeaderError(
      `Invalid header: keyword '${packet.keyword}' must be 4 lowercase letters`,
    );
  }
  if (!isStudentId(packet.sid)) {
    throw new HeaderError(`Invalid header: sid ${packet.sid} is not an 8-digit student id`);
  }
}

class Grading {
  readonly outcome: GradingOutcome;
  readonly #conn: Deno.TcpConn;
  readonly #options: GradingServerOptions;
  readonly #timeoutMs: number;
  readonly #reader: FrameReader;
  readonly #shutdown: AbortSignal | undefined;
  #submit = false;
  #registered = true;

  constructor(conn: Deno.TcpConn, options: GradingServerOptions, shutdown?: AbortSignal) {
    this.#conn = conn;
    this.#options = options;
    this.#shutdown = shutdown;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.outcome = { peer: formatAddress(conn.remoteAddr), score: 0, message: "" };
    // A read that times out stays pending, so the FAIL packet can still be
    // written; closing the connection afterwards settles it.
    this.#reader = new FrameReader(conn.readable, { timeoutMs: this.#timeoutMs });
  }

  /** Runs the whole exchange; never throws. */
  async run(): Promise<GradingOutcome> {
    let verdict: string;
    try {
      verdict = await this.#grade();
    } catch (error) {
      verdict = error instanceof Error ? error.message : String(error);
    }
    if (this.#shutdown?.aborted) {
      // Cut off by the server, not by the client: nothing is stored.
      this.outcome.message = `Server shutting down (${verdict}): not stored`;
      return this.outcome;
    }
    this.outcome.message = verdict + this.#store();
    await this.#sendResult();
    return this.outcome;
  }

  async #grade(): Promise<string> {
    const first = await this.#reader.readPacket();
    if (first === null) return "Connection closed before a header was sent";
    checkFirstHeader(first);
    const { sid, keyword } = first;
    Object.assign(this.outcome, { sid, keyword });
    this.#submit = keyword === SUBMIT_KEYWORD;
    this.#registered = this.#options.roster?.has(sid) ?? true;
    this.outcome.score = POINTS.header;

    const key = randomKey();
    const plaintext = randomPlaintext(this.#options.plaintextSize ?? 25_000);
    const encrypt = (data: Uint8Array) => xorCipher(data, key, data);
    const checker = new ReplyChecker(plaintext);
    let stop = false;
    let markSent!: () => void;
    const sent = new Promise<void>((resolve) => (markSent = resolve));
    const send = async () => {
      try {
        // Packets are built one at a time, just before they are written.
        for (const packet of packetsOf(plaintext, key, sid, MAX_DATA_SIZE, encrypt)) {
          if (stop) return;
          await this.#write(packet, "the client to read a packet");
        }
      } finally {
        markSent();
      }
    };
    const receive = async () => {
      try {
        await this.#receiveReply(key, sid, checker, sent);
      } finally {
        stop = true;
      }
    };
    // Settle both before going on: the result packet must not be written
    // while a data packet is still being written.
    const [sending, receiving] = await Promise.allSettled([send(), receive()]);
    if (receiving.status === "rejected") throw receiving.reason;
    if (sending.status === "rejected") throw sending.reason;
    // Every packet was received if the reply reaches into the last one's data.
    const lastStart = Math.floor(Math.max(plaintext.length - 1, 0) / MAX_DATA_SIZE) * MAX_DATA_SIZE;
    const receivedAll = plaintext.length === 0 || checker.received > lastStart;
    if (receivedAll) this.outcome.score += POINTS.received;
    if (checker.lengthMatches) this.outcome.score += POINTS.length;
    if (checker.dataMatches) this.outcome.score += POINTS.data;
    const mismatch = checker.mismatch();
    if (!receivedAll) {
      return `REPLY ENDED BEFORE THE LAST PACKET: ${mismatch}; the last packet starts at byte ${lastStart}`;
    }
    if (mismatch === undefined) return "DECRYPTED DATA MATCH";
    return checker.lengthMatches
      ? `DECRYPTED DATA MISMATCH: ${mismatch}`
      : `LENGTH MISMATCH: ${mismatch}`;
  }

  /**
   * Reads reply packets up to the one with flag 1. While the server is
   * still sending, a client may be busy reading, so the idle time limit
   * starts only once everything is sent (writes have their own limit). The
   * whole reply must come within the session limit.
   */
  async #receiveReply(
    key: string,
    sid: number,
    checker: ReplyChecker,
    sent: Promise<void>,
  ): Promise<void> {
    const limit = 2 * checker.expected + MAX_PACKET_SIZE;
    const sessionMs = this.#options.sessionLimitMs ?? 120_000;
    const deadline = Date.now() + sessionMs;
    for (let index = 1;; index++) {
      let packet;
      try {
        packet = await this.#readReply(sent);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new ProtocolError(`Reply packet ${index}: ${message}`, { cause: error });
      }
      const fail = (problem: string) => new ProtocolError(`Reply packet ${index}: ${problem}`);
      if (packet === null) {
        throw new ProtocolError(
          `Connection closed after ${index - 1} reply packets, before flag 1`,
        );
      }
      if (packet.keyword !== key) {
        throw fail(`keyword '${packet.keyword}', expected the key '${key}'`);
      }
      if (packet.sid !== sid) throw fail(`sid ${packet.sid}, expected ${sid}`);
      if (packet.flag === 0 && packet.data.length === 0) throw fail("no data, and flag 0");
      checker.push(packet.data);
      if (checker.received > limit) {
        throw new ProtocolError(
          `Reply too long: ${checker.received} bytes so far, expected ${checker.expected}`,
        );
      }
      if (packet.flag === 1) return;
      if (Date.now() > deadline) {
        throw new ProtocolError(`Reply not finished within the session limit of ${sessionMs} ms`);
      }
    }
  }

  async #readReply(sent: Promise<void>): Promise<DecodedPacket | null> {
    const read = this.#reader.readPacket(Infinity);
    const readFirst = await Promise.race([
      read.then(() => true, () => true),
      sent.then(() => false),
    ]);
    if (readFirst) return read;
    return withTimeout(read, this.#timeoutMs, "the client's reply");
  }

  async #write(bytes: Uint8Array, what: string): Promise<void> {
    await withTimeout(writeAll(this.#conn, bytes), this.#timeoutMs, what, () => {
      closeQuietly(this.#conn);
    });
  }

  /** Stores the score when asked to, and says so for the message. */
  #store(): string {
    const { sid, keyword, score } = this.outcome;
    if (sid === undefined || !this.#submit) {
      return keyword === undefined ? "" : ` (test run with keyword '${keyword}': not stored)`;
    }
    if (!this.#registered) {
      return ` & REGISTRATION FAIL: student id ${sid} is not on the roster`;
    }
    const store = this.#options.store;
    if (store === undefined) return " (this server keeps no database: not stored)";
    try {
      this.outcome.best = store.record(sid, 1, score).best;
      return " & YOUR POINTS ARE REGISTERED ON DATABASE";
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return ` & DATABASE ERROR, NOT STORED: ${reason}`;
    }
  }

  async #sendResult(): Promise<void> {
    const { score, message } = this.outcome;
    const data = new TextEncoder().encode(message).subarray(0, MAX_DATA_SIZE);
    const keyword = score === MAX_SCORE ? "GOOD" : "FAIL";
    try {
      await this.#write(
        encodePacket({ flag: 1, keyword, sid: score, data }),
        "the client to read the result",
      );
    } catch {
      // The client is gone; the outcome is logged all the same.
    }
  }
}

/** One log line for an outcome. */
export function formatOutcome(outcome: GradingOutcome): string {
  const who = outcome.sid === undefined
    ? "no valid header"
    : `sid ${outcome.sid} ${outcome.keyword}`;
  const verdict = outcome.score === MAX_SCORE ? "GOOD" : "FAIL";
  const best = outcome.best === undefined ? "" : ` (best ${outcome.best})`;
  return `[${outcome.peer}] ${who}: ${outcome.score}/${MAX_SCORE} ${verdict}${best}: ${outcome.message}`;
}

/**
 * Grades one connection to the end: never throws, and resolves what became
 * of it once the result packet is written (or could not be). When `shutdown`
 * aborts first, the session ends without storing or answering.
 */
export function gradeConnection(
  conn: Deno.TcpConn,
  options: GradingServerOptions,
  shutdown?: AbortSignal,
): Promise<GradingOutcome> {
  return new Grading(conn, options, shutdown).run();
}
