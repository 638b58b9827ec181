/**
 * One Task 1 grading session: checks a client's header, sends it an
 * XOR-encrypted text, judges the decrypted reply while still sending,
 * stores the score, and answers with one result packet. A failing session
 * drains what the client still sends before it answers (see `drain.ts`).
 *
 * @module
 */

import { closeQuietly, now, withTimeout } from "../../net/deadline.ts";
import { describeError } from "../../net/errors.ts";
import { formatAddress } from "../../net/listener.ts";
import { writeAll } from "../../net/write_all.ts";
import { drainAfterHeader, drainBytes, type DrainEnd, drainPackets } from "./drain.ts";
import { checkFirstHeader } from "./first_header.ts";
import { FrameReader } from "../protocol/frame_reader.ts";
import {
  MAX_SCORE,
  POINTS,
  randomKey,
  randomPlaintext,
  SHUTDOWN_PREFIX,
} from "../protocol/rubric.ts";
import { formatOutcome, type GradingOutcome } from "./grading_outcome.ts";
import type { Logger } from "../../net/logger.ts";
import { type GradingSessionOptions, gradingSessionSettings } from "./grading_options.ts";
import type { GradingSettings } from "./grading_options.ts";
import { decodeHeader, MAX_DATA_SIZE, MAX_PACKET_SIZE, peekHeader } from "../protocol/header.ts";
import { SUBMIT_KEYWORD } from "../protocol/keyword.ts";
import { decodePacket, encodePacket, packetsOf } from "../protocol/packet.ts";
import { ReplyJudge } from "./reply_judge.ts";
import { readReply, type ReplyEnd } from "./student_reply_reader.ts";
import { type Diagnosis, DiagnosisList, formatCauses } from "../../net/diagnosis.ts";
import { ChecksumError, HeaderError } from "../protocol/errors.ts";
import { diagnoseTask1 } from "../protocol/mistakes.ts";
import { formatTrace } from "../protocol/trace.ts";
import { xorCipher } from "../protocol/xor.ts";

/** Most bytes of data packets sent in one write. */
const WRITE_BATCH = 64 * 1024;

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

class Grading {
  readonly outcome: GradingOutcome;
  readonly #conn: Deno.TcpConn;
  readonly #options: GradingSettings;
  readonly #reader: FrameReader;
  readonly #shutdown: AbortSignal | undefined;
  readonly #trace: ((line: string) => void) | undefined;
  #submit = false;
  #registered = true;

  constructor(conn: Deno.TcpConn, options: GradingSettings, shutdown?: AbortSignal) {
    this.#conn = conn;
    this.#options = options;
    this.#shutdown = shutdown;
    this.outcome = {
      peer: formatAddress(conn.remoteAddr),
      score: 0,
      message: "",
      diagnoses: [],
    };
    const trace = options.trace;
    this.#trace = trace && ((line) => trace(`[${this.outcome.peer}] ${line}`));
    // A read that times out stays pending, so the FAIL packet can still be
    // written; closing the connection afterwards settles it. Reading with
    // conn.read (not conn.readable, which closes the connection at end of
    // stream) answers a client that shut down its sending side, too.
    this.#reader = new FrameReader(conn, {
      timeoutMs: options.timeoutMs,
      signal: shutdown,
      trace: this.#trace && ((frame) => this.#trace!(`<- ${formatTrace(frame)}`)),
    });
  }

  /** Runs the whole exchange; never throws. */
  async run(onAnswered?: (outcome: GradingOutcome) => void): Promise<GradingOutcome> {
    let verdict: string;
    try {
      verdict = await this.#grade();
    } catch (error) {
      verdict = describeError(error);
    }
    if (this.#shutdown?.aborted) {
      // Cut off by the server, not by the client: nothing is stored, and the
      // client is told so (its reads were interrupted, not its connection).
      this.outcome.score = 0;
      delete this.outcome.items;
      this.outcome.message = `${SHUTDOWN_PREFIX} your session was cut before it was graded ` +
        `(${verdict}); nothing was stored, try again later`;
      await this.#sendResult();
      onAnswered?.(this.outcome);
      return this.outcome;
    }
    // The result goes out only once the store has settled. The causes
    // found come after what was seen, before what became of the score.
    const causes = formatCauses(this.outcome.diagnoses);
    this.outcome.message = verdict + (causes && `; ${causes}`) + await this.#store();
    if (await this.#sendResult()) {
      onAnswered?.(this.outcome);
      const end = await drainBytes(this.#reader, this.#deadline());
      if (end !== "end of stream") this.#trace?.(`after the result: ${end}`);
    } else {
      onAnswered?.(this.outcome);
    }
    return this.outcome;
  }

  #deadline(): number {
    return now() + this.#options.drainMs;
  }

  #noteDrain(end: DrainEnd): void {
    this.#trace?.(`drained until: ${end}`);
    if (end.startsWith("error: ")) this.outcome.note = `drain ${end}`;
  }

  async #grade(): Promise<string> {
    let header: Uint8Array | undefined;
    let frame: Uint8Array | null;
    try {
      frame = await this.#reader.readFrame(undefined, (bytes) => {
        header = bytes.slice(0, 16);
        return decodeHeader(bytes).length;
      });
    } catch (error) {
      if (error instanceof HeaderError && header) {
        this.#found(diagnoseTask1({ kind: "header", bytes: header }));
        this.#noteDrain(await drainAfterHeader(this.#reader, header, this.#deadline()));
      }
      throw error;
    }
    if (frame === null) return "Connection closed before a header was sent";
    let first;
    try {
      first = decodePacket(frame);
      checkFirstHeader(first);
    } catch (error) {
      this.#found(diagnoseTask1({ kind: "header", bytes: frame }));
      if (error instanceof ChecksumError) {
        this.#found(
          diagnoseTask1({ kind: "checksum", where: "the header", packet: frame, reused: [] }),
        );
      }
      // A refused header with flag 0 says more packets follow: drain them.
      if (peekHeader.flag(frame) === 0) {
        this.#noteDrain(await drainPackets(this.#reader, this.#deadline()));
      }
      throw error;
    }
    if (first.checksumOrder === "rfc1071") this.#traceRfcOrder("the header");
    const { sid, keyword } = first;
    Object.assign(this.outcome, { sid, keyword });
    this.#submit = keyword === SUBMIT_KEYWORD;
    this.#registered = this.#options.roster?.has(sid) ?? true;
    return await this.#exchange(sid, keyword);
  }

  /** Adds diagnoses to the outcome. */
  #found(found: readonly Diagnosis[]): void {
    this.outcome.diagnoses.push(...found);
  }

  #traceRfcOrder(what: string): void {
    this.#trace?.(
      `${what}: checksum in RFC 1071 byte order, accepted (the course's server sends the two ` +
        "bytes swapped; either order is right)",
    );
  }

  /** Sends the encrypted text while judging the reply; the score and verdict. */
  async #exchange(sid: number, headerKeyword: string): Promise<string> {
    const key = randomKey();
    const plaintext = randomPlaintext(this.#options.plaintextSize);
    const encrypt = (data: Uint8Array) => xorCipher(data, key, data);
    // The checksums of the first packets sent: a reply built from a received
    // packet may carry one into its own sum.
    const sentChecksums: number[] = [];
    const judge = new ReplyJudge(plaintext, key, sid, { headerKeyword, sentChecksums });
    let stop = false;
    let markSent!: () => void;
    const sent = new Promise<void>((resolve) => (markSent = resolve));
    const send = async () => {
      try {
        // Packets are built just before they are written, a few at a time:
        // up to WRITE_BATCH bytes go out in one write (fewer system calls).
        let batch: Uint8Array[] = [];
        let size = 0;
        for (const packet of packetsOf(plaintext, key, sid, MAX_DATA_SIZE, encrypt)) {
          batch.push(packet);
          if (sentChecksums.length < 8) sentChecksums.push(peekHeader.checksum(packet));
          size += packet.length;
          if (peekHeader.flag(packet) === 0 && size + MAX_PACKET_SIZE <= WRITE_BATCH) continue;
          if (stop) return;
          for (const bytes of batch) this.#trace?.(`-> ${formatTrace(bytes)}`);
          await this.#write(
            batch.length === 1 ? batch[0]! : concat(batch, size),
            "the client to read",
          );
          batch = [];
          size = 0;
        }
      } finally {
        markSent();
      }
    };
    let end = { kind: "last" } as ReplyEnd;
    const receive = async () => {
      try {
        end = await readReply(this.#reader, judge, sent, this.#options);
      } catch (error) {
        end = { kind: "stopped", message: describeError(error), drain: "none" };
      } finally {
        stop = true;
      }
      if (end.kind === "stopped" && end.drain !== "none") {
        const deadline = this.#deadline();
        this.#noteDrain(
          end.drain === "packets"
            ? await drainPackets(this.#reader, deadline)
            : await drainBytes(this.#reader, deadline, true),
        );
      }
    };
    // Settle both before going on: the result packet must not be written
    // while a data packet is still being written.
    const [sending] = await Promise.allSettled([send(), receive()]);
    const score = judge.score();
    this.outcome.score = score.points;
    this.outcome.items = score.items;
    const framing = end.kind === "stopped" ? end.framing : undefined;
    const found = new DiagnosisList();
    found.add(this.outcome.diagnoses);
    found.add(judge.diagnoses(framing).list());
    this.outcome.diagnoses = found.list();
    if (judge.rfcOrderPackets > 0) {
      this.#traceRfcOrder(`${judge.rfcOrderPackets} reply packet(s)`);
    }
    const parts = [score.text];
    if (end.kind === "stopped") parts.push(end.message);
    const slip = judge.slip();
    if (slip) parts.push(`REPLY HEADER ERROR (-${POINTS.header}): ${slip}`);
    if (sending.status === "rejected") {
      parts.push(`sending stopped: ${describeError(sending.reason)}`);
    }
    return parts.join("; ");
  }

  async #write(bytes: Uint8Array, what: string): Promise<void> {
    await withTimeout(writeAll(this.#conn, bytes), this.#options.timeoutMs, what, () => {
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
      // Awaited: the store may answer asynchronously; any throw means not stored.
      this.outcome.best = (await store.record(sid, 1, score)).best;
      return " & YOUR POINTS ARE REGISTERED ON DATABASE";
    } catch (error) {
      return ` & DATABASE ERROR, NOT STORED: ${describeError(error)}`;
    }
  }

  /**
   * Writes the result, half-closes, and waits (up to the drain time) for the
   * client to close, so no unread byte makes the kernel reset the
   * connection under the result.
   */
  async #sendResult(): Promise<boolean> {
    const { score, message } = this.outcome;
    const data = new TextEncoder().encode(message).subarray(0, MAX_DATA_SIZE);
    const keyword = score === MAX_SCORE ? "GOOD" : "FAIL";
    try {
      const result = encodePacket({ flag: 1, keyword, sid: score, data });
      this.#trace?.(`-> ${formatTrace(result)}`);
      await this.#write(result, "the client to read the result");
      await this.#conn.closeWrite();
    } catch (error) {
      this.outcome.note = `result not delivered: ${describeError(error)}`;
      return false;
    }
    return true;
  }
}

/** What a grading session tells its server besides its outcome. */
export interface GradingHooks {
  /** Aborted when the server shuts down (and closes the connection). */
  shutdown?: AbortSignal | undefined;
  /**
   * Sees the outcome as soon as the result is written (before the wait for
   * the client to close), or at the end if no result was written.
   */
  answered?: ((outcome: GradingOutcome) => void) | undefined;
}

/**
 * Grades one connection to the end: never throws, and resolves what became
 * of it once the result packet is written (or could not be) and the client
 * has closed (or the drain time has passed). The outcome's line goes to
 * `logger` and to `hooks.answered` once, as soon as the result is written.
 * When `hooks.shutdown` aborts before the reply is graded, the session ends
 * without storing and answers a `FAIL` result saying the server is shutting
 * down. It does not close `conn` (the caller does). The same shape as
 * the compute server's `serveComputeSession`; {@linkcode serveGrading}
 * runs one per connection.
 *
 * @example
 * ```ts
 * import { encodePacket, gradeConnection } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * using client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * using server = await listener.accept();
 * const lines: string[] = [];
 * const session = gradeConnection(server, { timeoutMs: 1000, drainMs: 50 }, (l) => lines.push(l));
 * // A header with flag 0 is not a valid opening header.
 * await client.write(encodePacket({ flag: 0, keyword: "test", sid: 20200000, data: new Uint8Array() }));
 * const outcome = await session;
 * assert.equal(outcome.score, 0);
 * assert.match(outcome.message, /^Invalid header: flag 0/);
 * assert.equal(lines.length, 1);
 * assert.match(lines[0]!, /Invalid header: flag 0/);
 * ```
 */
export async function gradeConnection(
  conn: Deno.TcpConn,
  options: GradingSessionOptions,
  logger: Logger,
  hooks: GradingHooks = {},
): Promise<GradingOutcome> {
  let reported = false;
  const report = (outcome: GradingOutcome) => {
    if (reported) return;
    reported = true;
    logger(formatOutcome(outcome));
    hooks.answered?.(outcome);
  };
  const outcome = await new Grading(conn, gradingSessionSettings(options), hooks.shutdown).run(
    report,
  );
  report(outcome);
  return outcome;
}
