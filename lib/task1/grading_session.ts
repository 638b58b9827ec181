/**
 * One Task 1 grading session: checks a client's header, sends it an
 * XOR-encrypted text, reads the decrypted reply while still sending, scores
 * it, stores the score, and answers with one result packet.
 *
 * @module
 */

import { closeQuietly, withTimeout } from "../net/deadline.ts";
import { describeError, ProtocolError } from "../net/errors.ts";
import { FrameReader } from "./frame_reader.ts";
import { MAX_DATA_SIZE, MAX_PACKET_SIZE } from "./header.ts";
import { checkFirstHeader } from "./first_header.ts";
import { MAX_SCORE, POINTS, randomKey, randomPlaintext, ReplyChecker } from "./grading.ts";
import type { GradingOutcome } from "./grading_outcome.ts";
import { formatAddress } from "../net/listener.ts";
import type { ScoreStore } from "../scores/score_store.ts";
import { SUBMIT_KEYWORD } from "./keyword.ts";
import { type DecodedPacket, encodePacket, packetsOf } from "./packet.ts";
import { writeAll } from "../net/write_all.ts";
import { xorCipher } from "./xor.ts";

/**
 * Plaintext bytes a grading session sends by default: 25,000, three packets.
 *
 * @example
 * ```ts
 * import { DEFAULT_PLAINTEXT_SIZE, MAX_DATA_SIZE } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * assert.equal(Math.ceil(DEFAULT_PLAINTEXT_SIZE / MAX_DATA_SIZE), 3);
 * ```
 */
export const DEFAULT_PLAINTEXT_SIZE = 25_000;

/** Largest plaintext a grading session may be set to send: 10 MiB. */
export const MAX_PLAINTEXT_SIZE: number = 10 * 1024 * 1024;

/** Longest wait for one read or write of a grading session, in ms, by default. */
export const DEFAULT_READ_TIMEOUT_MS = 10_000;

/** Longest time for a client's whole reply, in ms, by default. */
export const DEFAULT_SESSION_LIMIT_MS = 120_000;

/** How a grading session runs; every field has a default. */
export interface GradingSessionOptions {
  /** Plaintext bytes per client; default {@linkcode DEFAULT_PLAINTEXT_SIZE}. */
  plaintextSize?: number | undefined;
  /** Longest wait for one read or write, in ms; default {@linkcode DEFAULT_READ_TIMEOUT_MS}. */
  timeoutMs?: number | undefined;
  /** Longest time for a client's whole reply, in ms; default {@linkcode DEFAULT_SESSION_LIMIT_MS}. */
  sessionLimitMs?: number | undefined;
  /** Where `sbmt` scores go; without a store nothing is stored. */
  store?: ScoreStore | undefined;
  /** Student ids allowed to register; without a roster every id is. */
  roster?: ReadonlySet<number> | undefined;
}

/**
 * Checks `options` and fills in the defaults; throws `RangeError` for a
 * value out of range.
 *
 * @example
 * ```ts
 * import { gradingSessionSettings, MAX_PLAINTEXT_SIZE } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * assert.equal(gradingSessionSettings({}).plaintextSize, 25_000);
 * assert.throws(() => gradingSessionSettings({ plaintextSize: MAX_PLAINTEXT_SIZE + 1 }), {
 *   name: "RangeError",
 * });
 * ```
 */
export function gradingSessionSettings(options: GradingSessionOptions): GradingSettings {
  const plaintextSize = options.plaintextSize ?? DEFAULT_PLAINTEXT_SIZE;
  if (!Number.isInteger(plaintextSize) || plaintextSize < 0 || plaintextSize > MAX_PLAINTEXT_SIZE) {
    throw new RangeError(
      `plaintextSize must be 0 to ${MAX_PLAINTEXT_SIZE}, got ${plaintextSize}`,
    );
  }
  return {
    plaintextSize,
    timeoutMs: options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
    sessionLimitMs: options.sessionLimitMs ?? DEFAULT_SESSION_LIMIT_MS,
    store: options.store,
    roster: options.roster,
  };
}

/** {@linkcode GradingSessionOptions} with every default filled in. */
export interface GradingSettings {
  /** Plaintext bytes per client. */
  plaintextSize: number;
  /** Longest wait for one read or write, in ms. */
  timeoutMs: number;
  /** Longest time for a client's whole reply, in ms. */
  sessionLimitMs: number;
  /** Where `sbmt` scores go, if anywhere. */
  store: ScoreStore | undefined;
  /** Student ids allowed to register, if limited. */
  roster: ReadonlySet<number> | undefined;
}

class Grading {
  readonly outcome: GradingOutcome;
  readonly #conn: Deno.TcpConn;
  readonly #options: GradingSettings;
  readonly #timeoutMs: number;
  readonly #reader: FrameReader;
  readonly #shutdown: AbortSignal | undefined;
  #submit = false;
  #registered = true;

  constructor(conn: Deno.TcpConn, options: GradingSettings, shutdown?: AbortSignal) {
    this.#conn = conn;
    this.#options = options;
    this.#shutdown = shutdown;
    this.#timeoutMs = options.timeoutMs;
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
      verdict = describeError(error);
    }
    if (this.#shutdown?.aborted) {
      // Cut off by the server, not by the client: nothing is stored.
      this.outcome.message = `Server shutting down (${verdict}): not stored`;
      return this.outcome;
    }
    this.outcome.message = verdict + await this.#store();
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
    const plaintext = randomPlaintext(this.#options.plaintextSize);
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
    const sessionMs = this.#options.sessionLimitMs;
    const deadline = Date.now() + sessionMs;
    for (let index = 1;; index++) {
      let packet;
      try {
        packet = await this.#readReply(sent);
      } catch (error) {
        const message = describeError(error);
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
  async #store(): Promise<string> {
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
      this.outcome.best = (await store.record(sid, 1, score)).best;
      return " & YOUR POINTS ARE REGISTERED ON DATABASE";
    } catch (error) {
      const reason = describeError(error);
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

/**
 * Grades one connection to the end: never throws, and resolves what became
 * of it once the result packet is written (or could not be). When `shutdown`
 * aborts first, the session ends without storing or answering. It does not
 * close `conn` (the caller does). {@linkcode serveGrading} runs one per
 * connection.
 *
 * @example
 * ```ts
 * import { encodePacket, gradeConnection } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * using client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * using server = await listener.accept();
 * const session = gradeConnection(server, { timeoutMs: 1000 });
 * // A header with flag 0 is not a valid opening header.
 * await client.write(encodePacket({ flag: 0, keyword: "test", sid: 20200000, data: new Uint8Array() }));
 * const outcome = await session;
 * assert.equal(outcome.score, 0);
 * assert.match(outcome.message, /^Invalid header: flag 0/);
 * ```
 */
export function gradeConnection(
  conn: Deno.TcpConn,
  options: GradingSessionOptions,
  shutdown?: AbortSignal,
): Promise<GradingOutcome> {
  return new Grading(conn, gradingSessionSettings(options), shutdown).run();
}
