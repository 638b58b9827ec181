/**
 * Reading a client's reply in a grading session: packet by packet into a
 * {@linkcode ReplyJudge}, within the session's time limits and caps, and
 * saying how it ended: at the client's last packet, or stopped before it and why.
 *
 * @module
 */

import { now, withTimeout } from "../../net/deadline.ts";
import { describeError } from "../../net/errors.ts";
import { HeaderError } from "../protocol/errors.ts";
import type { FrameReader } from "../protocol/frame_reader.ts";
import type { GradingSettings } from "./grading_options.ts";
import { MAX_PACKET_SIZE, packetLength, peekHeader } from "../protocol/header.ts";
import type { ReplyJudge } from "./reply_judge.ts";

/** Empty flag-0 reply packets tolerated before the reply is cut off. */
const MAX_EMPTY_PACKETS = 16;

/**
 * How reading a reply ended: at the client's last packet (`last`: flag 1,
 * or the whole text without it, which the judge notes), or `stopped` before
 * it, with why and how the session should drain what may still come: whole
 * packets up to flag 1, raw bytes (the framing is lost), or nothing (the
 * client is silent or gone). `length` is the length field that broke the
 * framing, with the packet it was in.
 *
 * @example
 * ```ts
 * import type { ReplyEnd } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const end: ReplyEnd = {
 *   kind: "stopped",
 *   message: "Reply too long: 70000 bytes so far, expected 25000",
 *   drain: "packets",
 * };
 * assert.equal(end.kind === "stopped" && end.drain, "packets");
 * ```
 */
export type ReplyEnd =
  | { kind: "last" }
  | {
    kind: "stopped";
    message: string;
    drain: "packets" | "bytes" | "none";
    framing?: { index: number; length: number };
  };

/**
 * Reads reply packets into `judge` up to the one with a flag other than 0,
 * and says how reading ended. While the server is still sending (`sent`
 * pending), a client may be busy reading, so the idle time limit starts
 * only once everything is sent (writes have their own limit). The whole
 * reply must come within the session limit. Once the reply is as long as
 * the plaintext, the wait for its last packet is only the drain time, and a
 * missing flag 1 is a header slip (the judge notes it), not a stop. What
 * the client sends, or a failed read, is an outcome, never an exception.
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
 * const end = await readReply(new FrameReader(stream), judge, Promise.resolve(), gradingSessionSettings({}));
 * assert.deepEqual(end, { kind: "last" });
 * assert.equal(judge.score().points, 50);
 * ```
 */
export async function readReply(
  reader: FrameReader,
  judge: ReplyJudge,
  sent: Promise<void>,
  settings: GradingSettings,
): Promise<ReplyEnd> {
  const checker = judge.checker;
  const limit = 2 * checker.expected + MAX_PACKET_SIZE;
  const sessionMs = settings.replyLimitMs;
  const deadline = now() + sessionMs;
  for (let index = 1;; index++) {
    const complete = checker.received >= checker.expected;
    const whole = checker.received === checker.expected;
    let header: Uint8Array | undefined;
    const check = (bytes: Uint8Array) => {
      header = bytes.slice(0, 16);
      return packetLength(bytes);
    };
    let frame: Uint8Array | null;
    try {
      frame = complete
        ? await reader.readFrame(settings.drainMs, check)
        : await nextFrame(reader, sent, settings.timeoutMs, check);
    } catch (error) {
      if (whole) {
        judge.noLastPacket(
          index - 1,
          `no packet with flag 1 came after the whole text (${describeError(error)})`,
        );
        return { kind: "last" };
      }
      const message = `Reply packet ${index}: ${describeError(error)}`;
      if (error instanceof HeaderError) {
        const framing = header && { index, length: peekHeader.length(header) };
        return { kind: "stopped", message, drain: "bytes", ...(framing ? { framing } : {}) };
      }
      // A close, a time-out, a reset: the client is silent or gone.
      return { kind: "stopped", message, drain: "none" };
    }
    if (frame === null) {
      if (whole) {
        judge.noLastPacket(index - 1, "the connection closed without a packet with flag 1");
        return { kind: "last" };
      }
      return {
        kind: "stopped",
        message: `Connection closed after ${index - 1} reply packets, before flag 1`,
        drain: "none",
      };
    }
    if (judge.take(frame)) return { kind: "last" };
    if (checker.received > limit) {
      return {
        kind: "stopped",
        message: `Reply too long: ${checker.received} bytes so far, expected ${checker.expected}`,
        drain: "packets",
      };
    }
    if (judge.emptyPackets > MAX_EMPTY_PACKETS) {
      return {
        kind: "stopped",
        message: `Reply cut off after ${MAX_EMPTY_PACKETS} empty packets with flag 0`,
        drain: "packets",
      };
    }
    if (now() > deadline) {
      return {
        kind: "stopped",
        message: `Reply not finished within the session limit of ${sessionMs} ms`,
        drain: "packets",
      };
    }
  }
}

/** The next frame: no time limit while `sent` is pending, `timeoutMs` after. */
async function nextFrame(
  reader: FrameReader,
  sent: Promise<void>,
  timeoutMs: number,
  check: (header: Uint8Array) => number,
): Promise<Uint8Array | null> {
  const read = reader.readFrame(Infinity, check);
  const readFirst = await Promise.race([
    read.then(() => true, () => true),
    sent.then(() => false),
  ]);
  if (readFirst) return read;
  return withTimeout(read, timeoutMs, "the client's reply");
}
