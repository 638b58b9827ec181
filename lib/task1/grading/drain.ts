/**
 * Draining: once a grading server has decided to fail a client, it reads
 * and throws away what the client still sends, up to the client's last
 * packet (flag 1) or a short time limit, before it answers and closes. A
 * client that writes its whole reply before it reads anything then still
 * reads its result, instead of a reset connection (closing a socket with
 * unread data makes the kernel reset it, and a reset can destroy the result
 * packet before the client reads it).
 *
 * @module
 */

import { describeError, TimeoutError } from "../../net/errors.ts";
import { now } from "../../net/deadline.ts";
import { HeaderError } from "../protocol/errors.ts";
import type { FrameReader } from "../protocol/frame_reader.ts";
import { packetLength, peekHeader } from "../protocol/header.ts";

/** How a drain ended. */
export type DrainEnd =
  | "last packet"
  | "end of stream"
  | "pause"
  | "time limit"
  | `error: ${string}`;

/**
 * A pause this long in what the client sends also ends a drain (or the
 * drain time, if shorter): the client has stopped sending and waits for its
 * result. Should it send more after all, the wait after the result, which
 * reads until the client closes, takes it in.
 *
 * @example
 * ```ts no-assert
 * import { DRAIN_PAUSE_MS } from "@cs341/practice2/task1";
 *
 * console.log(`a client quiet for ${DRAIN_PAUSE_MS} ms has sent its last packet`);
 * ```
 */
export const DRAIN_PAUSE_MS = 250;

/** The next wait of a drain: until `deadline`, or a pause if `pause` is set. */
function nextWait(deadline: number, pause: boolean): number {
  const left = deadline - now();
  return pause ? Math.min(left, DRAIN_PAUSE_MS) : left;
}

function ended(error: unknown, deadline: number): DrainEnd {
  if (error instanceof TimeoutError) {
    return now() >= deadline ? "time limit" : "pause";
  }
  return `error: ${describeError(error)}`;
}

/**
 * Throws away raw bytes until end of stream or `deadline` (a `now()` (`performance.now()`)
 * time), or with `pause` also a pause of {@linkcode DRAIN_PAUSE_MS}. Never
 * throws.
 *
 * @example
 * ```ts
 * import { drainBytes, FrameReader } from "@cs341/practice2/task1";
 * import { now } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const stream = new ReadableStream({
 *   type: "bytes",
 *   start(controller) {
 *     controller.enqueue(new Uint8Array(100));
 *     controller.close();
 *   },
 * });
 * assert.equal(await drainBytes(new FrameReader(stream), now() + 1000), "end of stream");
 * ```
 */
export async function drainBytes(
  reader: FrameReader,
  deadline: number,
  pause = false,
): Promise<DrainEnd> {
  try {
    for (;;) {
      const wait = nextWait(deadline, pause);
      if (wait <= 0) return "time limit";
      if (await reader.discard(wait) === null) return "end of stream";
    }
  } catch (error) {
    return ended(error, deadline);
  }
}

/**
 * Throws away whole packets until one with a flag other than 0 (the
 * client's last), end of stream, a pause of {@linkcode DRAIN_PAUSE_MS}, or
 * `deadline`; once a length field makes no sense, it goes on with raw bytes
 * ({@linkcode drainBytes}). Never throws.
 *
 * @example
 * ```ts
 * import { drainPackets, encodePacket, FrameReader } from "@cs341/practice2/task1";
 * import { now } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const packet = (flag: 0 | 1) => encodePacket({ flag, keyword: "tree", sid: 1, data: new Uint8Array(9) });
 * const stream = new ReadableStream({
 *   type: "bytes",
 *   start(controller) {
 *     controller.enqueue(new Uint8Array([...packet(0), ...packet(0), ...packet(1)]));
 *   },
 * });
 * assert.equal(await drainPackets(new FrameReader(stream), now() + 1000), "last packet");
 * ```
 */
export async function drainPackets(reader: FrameReader, deadline: number): Promise<DrainEnd> {
  for (;;) {
    const wait = nextWait(deadline, true);
    if (wait <= 0) return "time limit";
    let frame;
    try {
      frame = await reader.readFrame(wait);
    } catch (error) {
      if (error instanceof HeaderError) {
        return drainBytes(reader, deadline, true);
      }
      return ended(error, deadline);
    }
    if (frame === null) return "end of stream";
    if (peekHeader.flag(frame) !== 0) return "last packet";
  }
}

/**
 * Drains after a header (16 bytes, already read) was refused: when its
 * length makes sense, its data is skipped, and unless its flag was 0 it was
 * the client's last packet; otherwise draining goes on. Never throws.
 *
 * @example
 * ```ts
 * import { drainAfterHeader, encodePacket, FrameReader } from "@cs341/practice2/task1";
 * import { now } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const stream = new ReadableStream({ type: "bytes" }); // the client sends nothing more
 * const lone = encodePacket({ flag: 1, keyword: "SBMT", sid: 1, data: new Uint8Array() });
 * assert.equal(await drainAfterHeader(new FrameReader(stream), lone, now() + 1000), "last packet");
 * ```
 */
export async function drainAfterHeader(
  reader: FrameReader,
  header: Uint8Array,
  deadline: number,
): Promise<DrainEnd> {
  let length: number;
  try {
    length = packetLength(header);
  } catch {
    return drainBytes(reader, deadline, true);
  }
  if (header.length < length) {
    try {
      const rest = length - header.length;
      const wait = Math.max(1, nextWait(deadline, true));
      if (await reader.readExact(rest, "the rest of a refused packet", wait) === null) {
        return "end of stream";
      }
    } catch (error) {
      return ended(error, deadline);
    }
  }
  if (peekHeader.flag(header) !== 0) return "last packet";
  return drainPackets(reader, deadline);
}
