/**
 * Reading a client's reply in a grading session: packet by packet into a
 * {@linkcode ReplyJudge}, within the session's time limits and caps, and
 * saying why it stopped when it stopped before the client's last packet.
 *
 * @module
 */

import { withTimeout } from "../../net/deadline.ts";
import { describeError } from "../../net/errors.ts";
import type { FrameReader } from "../protocol/frame_reader.ts";
import type { GradingSettings } from "./grading_options.ts";
import { MAX_PACKET_SIZE } from "../protocol/header.ts";
import type { ReplyJudge } from "./reply_judge.ts";

/** Empty flag-0 reply packets tolerated before the reply is cut off. */
const MAX_EMPTY_PACKETS = 16;

/**
 * Why reading a reply stopped before the client's last packet, and how the
 * session should drain what may still come: whole packets up to flag 1,
 * raw bytes (the framing is lost), or nothing (the client is silent or gone).
 *
 * @example
 * ```ts
 * import { ReplyStop } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const stop = new ReplyStop("Reply too long: 70000 bytes so far, expected 25000", "packets");
 * assert.equal(stop.name, "ReplyStop");
 * assert.equal(stop.drain, "packets");
 * ```
 */
export class ReplyStop extends Error {
  /** How to drain after this stop. */
  readonly drain: "packets" | "bytes" | "none";

  /** Builds the error; `cause` is kept as `error.cause`. */
  constructor(message: string, drain: "packets" | "bytes" | "none", options?: ErrorOptions) {
    super(message, options);
    this.name = "ReplyStop";
    this.drain = drain;
  }
}

/**
 * Reads reply packets into `judge` up to the one with a flag other than 0,
 * or throws {@linkcode ReplyStop}. While the server is still sending
 * (`sent` pending), a client may be busy reading, so the idle time limit
 * starts only once everything is sent (writes have their own limit). The
 * whole reply must come within the session limit. Once the reply is as long
 * as the plaintext, the wait for its last packet is only the drain time, and
 * a missing flag 1 is a header slip (the judge notes it), not a stop.
 *
 * @example
 * ```ts
 * import { encodePacket, FrameReader, gradingSessionSettings, readReply, ReplyJudge } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const plain = new TextEncoder().encode("hi");
 * const wire = encodePacket({ flag: 1, keyword: "tree", sid: 20200000, data: plain });
 * const stream = new ReadableStream({ type: "bytes", start: (c) => c.enqueue(wire) });
 * const judge = new ReplyJudge(plain, "tree", 20200000);
 * await readReply(new FrameReader(stream), judge, Promise.resolve(), gradingSessionSettings({}));
 * assert.equal(judge.verdict().points, 40);
 * ```
 */
export async function readReply(
  reader: FrameReader,
  judge: ReplyJudge,
  sent: Promise<void>,
  settings: GradingSettings,
): Promise<void> {
  const checker = judge.checker;
  const limit = 2 * checker.expected + MAX_PACKET_SIZE;
  const sessionMs = settings.sessionLimitMs;
  const deadline = Date.now() + sessionMs;
  for (let index = 1;; index++) {
    const complete = checker.received >= checker.expected;
    const whole = checker.received === checker.expected;
    let frame: Uint8Array | null;
    try {
      frame = complete
        ? await reader.readFrame(settings.drainMs)
        : await nextFrame(reader, sent, settings.timeoutMs);
    } catch (error) {
      if (whole) {
        judge.note(
          index - 1,
          `no packet with flag 1 came after the whole text (${describeError(error)})`,
        );
        return;
      }
      const framing = error instanceof Error && error.name === "HeaderError";
      throw new ReplyStop(
        `Reply packet ${index}: ${describeError(error)}`,
        framing ? "bytes" : "none",
        { cause: error },
      );
    }
    if (frame === null) {
      if (whole) {
        judge.note(index - 1, "the connection closed without a packet with flag 1");
        return;
      }
      throw new ReplyStop(
        `Connection closed after ${index - 1} reply packets, before flag 1`,
        "none",
      );
    }
    if (judge.take(frame)) return;
    if (checker.received > limit) {
      throw new ReplyStop(
        `Reply too long: ${checker.received} bytes so far, expected ${checker.expected}`,
        "packets",
      );
    }
    if (judge.emptyPackets > MAX_EMPTY_PACKETS) {
      throw new ReplyStop(
        `Reply cut off after ${MAX_EMPTY_PACKETS} empty packets with flag 0`,
        "packets",
      );
    }
    if (Date.now() > deadline) {
      throw new ReplyStop(
        `Reply not finished within the session limit of ${sessionMs} ms`,
        "packets",
      );
    }
  }
}

/** The next frame: no time limit while `sent` is pending, `timeoutMs` after. */
async function nextFrame(
  reader: FrameReader,
  sent: Promise<void>,
  timeoutMs: number,
): Promise<Uint8Array | null> {
  const read = reader.readFrame(Infinity);
  const readFirst = await Promise.race([
    read.then(() => true, () => true),
    sent.then(() => false),
  ]);
  if (readFirst) return read;
  return withTimeout(read, timeoutMs, "the client's reply");
}
