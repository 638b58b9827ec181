/**
 * How the Task 2 test client reads what a server sends: the UUID, each
 * reply, and the close after `COMPLETE`. Bytes are parsed as they stream
 * in, into one buffer with a cap, and every read has a total deadline, so a
 * server that never stops sending costs little memory and a bounded time.
 *
 * @module
 */

import type { ByteSource } from "../../net/byte_source.ts";
import { showBytes } from "../../net/peer_text.ts";
import { isUuidPrefix, isWholeReply } from "../protocol/reply_check.ts";
import { isUuidText } from "../protocol/client_uuid.ts";

/**
 * How a read ended: `done` (the reader's rule says the message is whole),
 * `eof` (the server closed), `timeout` (the deadline passed first) or `cap`
 * (more bytes came than the cap allows; the read stops there).
 *
 * @example
 * ```ts no-assert
 * import type { ReadEnd } from "@cs341/practice2/task2";
 *
 * const end: ReadEnd = "cap"; // the reply outgrew the reader's cap
 * console.log(end);
 * ```
 */
export type ReadEnd = "done" | "eof" | "timeout" | "cap";

/**
 * What a read collected.
 *
 * @example
 * ```ts no-assert
 * import type { ReadResult } from "@cs341/practice2/task2";
 *
 * // Seven bytes of a reply arrived, then nothing until the time limit.
 * const result: ReadResult = { text: "13_f97e", raw: "13_f97e", bytes: 7, end: "timeout" };
 * console.log(result);
 * ```
 */
export interface ReadResult {
  /** The bytes read, escaped with `showBytes` (safe to print). */
  text: string;
  /** The bytes read, one character per byte (Latin-1), for judging; never printed as is. */
  raw: string;
  /** How many bytes were read. */
  bytes: number;
  /** Why the read stopped. */
  end: ReadEnd;
}

/** The longest reply tail that can hold `_` and a UUID: `_` + 36. */
const TAIL = 37;

/** Trailing ASCII whitespace a whole reply may carry and still be seen as whole at once. */
const MAX_TRAILING_SPACE = 8;

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** `latin1` for any length (spreading a long array overflows the stack). */
function latin1Long(bytes: Uint8Array): string {
  let text = "";
  for (let at = 0; at < bytes.length; at += 8192) {
    text += latin1(bytes.subarray(at, at + 8192));
  }
  return text;
}

/**
 * Reads a server's messages from a {@linkcode ByteSource}. Each read takes
 * an absolute deadline (a `performance.now()` time) and a cap in bytes.
 *
 * @example
 * ```ts
 * import { ByteSource } from "@cs341/practice2/net";
 * import { ReplyReader } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode("13_f97e575c28d536b49170f3cbaef757af");
 * const stream = new ReadableStream({
 *   type: "bytes",
 *   start(controller) {
 *     controller.enqueue(bytes);
 *     controller.close();
 *   },
 * });
 * using source = new ByteSource(stream);
 * const reader = new ReplyReader(source);
 * const reply = await reader.readReply(performance.now() + 1000, 1024);
 * assert.equal(reply.text, "13_f97e575c28d536b49170f3cbaef757af");
 * assert.equal(reply.end, "done");
 * assert.equal((await reader.readRest(performance.now() + 1000, 16)).end, "eof");
 * ```
 */
export class ReplyReader {
  readonly #source: ByteSource;
  readonly #onChunk: ((bytes: Uint8Array) => void) | undefined;

  /** Reads from `source`; `onChunk` sees every chunk as it arrives (for `--trace`). */
  constructor(source: ByteSource, onChunk?: (bytes: Uint8Array) => void) {
    this.#source = source;
    this.#onChunk = onChunk;
  }

  /**
   * Reads until the bytes are a UUID (hex or dashed) or can no longer
   * become one. At most 36 bytes are taken.
   */
  readUuid(deadline: number): Promise<ReadResult> {
    return this.#read(deadline, 36, (buffer, length) => {
      const text = latin1(buffer.subarray(0, length));
      return isUuidText(text) || !isUuidPrefix(text);
    });
  }

  /**
   * Reads until the bytes end with `_` and a UUID, in either form, or with
   * that and a little ASCII whitespace (a newline after the reply is seen at
   * once, not waited out; judging it is the caller's business).
   */
  readReply(deadline: number, cap: number): Promise<ReadResult> {
    return this.#read(deadline, cap, (buffer, length) => {
      // Only the tail can change the answer: linear in the reply's size.
      const from = Math.max(0, length - TAIL - MAX_TRAILING_SPACE);
      const tail = latin1(buffer.subarray(from, length));
      return isWholeReply(tail) || isWholeReply(tail.replace(/[ \t\n\v\f\r]+$/, ""));
    });
  }

  /** Reads until the server closes (or the deadline or cap comes first). */
  readRest(deadline: number, cap: number): Promise<ReadResult> {
    return this.#read(deadline, cap, () => false);
  }

  async #read(
    deadline: number,
    cap: number,
    done: (buffer: Uint8Array, length: number) => boolean,
  ): Promise<ReadResult> {
    let buffer = new Uint8Array(Math.min(cap, 256));
    let length = 0;
    const result = (end: ReadEnd): ReadResult => ({
      text: showBytes(buffer.subarray(0, length)),
      raw: latin1Long(buffer.subarray(0, length)),
      bytes: length,
      end,
    });
    for (;;) {
      const left = deadline - performance.now();
      if (left <= 0) return result("timeout");
      const seen = await this.#source.wait(left);
      if (seen === "eof") return result("eof");
      if (seen === "quiet") return result("timeout");
      if (length >= cap) return result("cap");
      // Take only what fits; a byte past a whole message stays buffered.
      const chunk = this.#source.takeUpTo(cap - length);
      this.#onChunk?.(chunk);
      if (length + chunk.length > buffer.length) {
        const grown = new Uint8Array(
          Math.min(cap, Math.max(buffer.length * 2, length + chunk.length)),
        );
        grown.set(buffer.subarray(0, length));
        buffer = grown;
      }
      buffer.set(chunk, length);
      length += chunk.length;
      if (done(buffer, length)) return result("done");
    }
  }
}
