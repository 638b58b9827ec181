/**
 * Task 2 framing: the tokens of a compute-server conversation, read from a
 * {@linkcode ByteSource} however TCP splits or merges the client's writes.
 *
 * - The client's name runs until the client stops sending (a quiet gap).
 * - A keyword is recognized byte by byte, in any letter case; no keyword is
 *   a prefix of another, so it ends on its last letter.
 * - A number is ASCII digits, ending at a non-digit byte (left unread) or at
 *   a quiet gap.
 * - A FILE body is exactly `length` bytes, handed on chunk by chunk.
 *
 * ASCII whitespace before a keyword or a number is skipped. Waiting longer
 * than `idleMs` for a byte the protocol needs throws {@linkcode TimeoutError}.
 *
 * @module
 */

import type { ByteSource } from "../net/byte_source.ts";
import { showBytes } from "../net/peer_text.ts";
import { RequestError } from "./errors.ts";
import { TimeoutError, TruncatedError } from "../net/errors.ts";
import { isAsciiSpace } from "./word_count.ts";

/**
 * The request keywords, as the server names them.
 *
 * @example
 * ```ts
 * import { KEYWORDS } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.ok(KEYWORDS.includes("WORD_COUNT"));
 * // No keyword is a prefix of another, so each ends on its last letter.
 * assert.ok(KEYWORDS.every((a) => KEYWORDS.every((b) => a === b || !b.startsWith(a))));
 * ```
 */
export const KEYWORDS = ["FIBONACCI", "FACTORIAL", "FILE", "WORD_COUNT", "COMPLETE"] as const;

/**
 * One of {@linkcode KEYWORDS}.
 */
export type Keyword = typeof KEYWORDS[number];

/**
 * How long the reader waits.
 *
 * @example
 * ```ts
 * import { type ReaderTiming } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const timing: ReaderTiming = { gapMs: 50, idleMs: 30_000 };
 * assert.ok(timing.gapMs < timing.idleMs);
 * ```
 */
export interface ReaderTiming {
  /** No byte for this long ends a name or a number, in milliseconds. */
  gapMs: number;
  /** No byte for this long, when one is needed, is a timeout. */
  idleMs: number;
}

const DIGIT_0 = 0x30;
const MAX_DIGITS = 15;

function isDigit(byte: number): boolean {
  return byte >= DIGIT_0 && byte <= DIGIT_0 + 9;
}

function upper(byte: number): number {
  return byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte;
}

/**
 * Reads names, keywords, numbers and bodies from a connection.
 *
 * @example
 * ```ts
 * import { ByteSource } from "@cs341/practice2/net";
 * import { RequestReader } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const stream = new ReadableStream({
 *   type: "bytes",
 *   start(controller) {
 *     controller.enqueue(new TextEncoder().encode("fibonacci 12\nFILE5hello"));
 *     controller.close();
 *   },
 * });
 * const reader = new RequestReader(new ByteSource(stream), { gapMs: 10, idleMs: 1000 });
 * assert.equal(await reader.readKeyword(), "FIBONACCI");
 * assert.equal(await reader.readNumber("FIBONACCI n"), 12);
 * assert.equal(await reader.readKeyword(), "FILE");
 * assert.equal(await reader.readNumber("FILE length"), 5);
 * let body = "";
 * await reader.readBody(5, (chunk) => (body += new TextDecoder().decode(chunk)));
 * assert.equal(body, "hello");
 * assert.equal(await reader.readKeyword(), null);
 * ```
 */
export class RequestReader {
  readonly #source: ByteSource;
  readonly #timing: ReaderTiming;

  /** Reads from `source` with the pauses in `timing`. */
  constructor(source: ByteSource, timing: ReaderTiming) {
    this.#source = source;
    this.#timing = timing;
  }

  /** Waits for a needed byte: false at end of stream, throws on timeout. */
  async #need(what: string): Promise<boolean> {
    const result = await this.#source.wait(this.#timing.idleMs);
    if (result === "quiet") {
      throw new TimeoutError(`Timed out after ${this.#timing.idleMs} ms waiting for ${what}`);
    }
    return result === "data";
  }

  /** Skips whitespace; false at end of stream. */
  async #skipSpace(what: string): Promise<boolean> {
    for (;;) {
      if (!await this.#need(what)) return false;
      const byte = this.#source.peek()!;
      if (!isAsciiSpace(byte)) return true;
      this.#source.take();
    }
  }

  /**
   * Reads the client's name: every byte until a quiet gap, without leading
   * and trailing whitespace. Returns `null` if the stream ends before any
   * byte; throws {@linkcode RequestError} past `maxBytes` or for an empty name.
   */
  async readName(maxBytes: number): Promise<Uint8Array | null> {
    if (!await this.#need("the client's name")) return null;
    const bytes: number[] = [];
    while (await this.#source.wait(this.#timing.gapMs) === "data") {
      while (this.#source.buffered > 0) {
        bytes.push(this.#source.take());
        if (bytes.length > maxBytes) {
          throw new RequestError(`Client name must be at most ${maxBytes} bytes, got more`);
        }
      }
    }
    let start = 0;
    let end = bytes.length;
    while (start < end && isAsciiSpace(bytes[start]!)) start++;
    while (end > start && isAsciiSpace(bytes[end - 1]!)) end--;
    if (start === end) {
      throw new RequestError("Client name must not be empty or only whitespace");
    }
    return new Uint8Array(bytes.slice(start, end));
  }

  /**
   * Reads the next keyword. Returns `null` at end of stream before it.
   * Throws {@linkcode RequestError} as soon as the bytes cannot start any
   * keyword and {@linkcode TruncatedError} if the stream ends in the middle.
   */
  async readKeyword(): Promise<Keyword | null> {
    if (!await this.#skipSpace("a request")) return null;
    const seen: number[] = [];
    for (;;) {
      seen.push(upper(this.#source.take()));
      const text = String.fromCharCode(...seen);
      const candidates = KEYWORDS.filter((keyword) => keyword.startsWith(text));
      const match = candidates.find((keyword) => keyword === text);
      if (match !== undefined) return match;
      if (candidates.length === 0) {
        // Quote what is already here of the unknown word, for the message.
        while (seen.length < 24 && this.#source.buffered > 0) {
          if (isAsciiSpace(this.#source.peek()!)) break;
          seen.push(this.#source.take());
        }
        throw new RequestError(
          `Unknown request '${showBytes(seen)}', expected ${KEYWORDS.join(", ")}`,
        );
      }
      // Self-delimiting: the rest of a keyword may come after any pause.
      if (!await this.#need(`the rest of keyword '${text}'`)) {
        throw new TruncatedError(`Connection closed in the middle of keyword '${text}'`);
      }
    }
  }

  /**
   * Reads a whole number for `what` (such as `FIBONACCI n`), skipping
   * whitespace before it. Throws {@linkcode RequestError} when the next byte
   * is not a digit (a minus sign included) or the number has more than 15
   * digits, {@linkcode TruncatedError} at end of stream.
   */
  async readNumber(what: string): Promise<number> {
    if (!await this.#skipSpace(what)) {
      throw new TruncatedError(`Connection closed while waiting for ${what}`);
    }
    const first = this.#source.peek()!;
    if (!isDigit(first)) {
      const seen: number[] = [];
      while (seen.length < 16 && this.#source.buffered > 0) {
        if (isAsciiSpace(this.#source.peek()!)) break;
        seen.push(this.#source.take());
      }
      const shown = showBytes(seen);
      const problem = first === 0x2d ? "must not be negative" : "must be a decimal number";
      throw new RequestError(`${what} ${problem}, got '${shown}'`);
    }
    let digits = "";
    for (;;) {
      while (this.#source.buffered > 0 && isDigit(this.#source.peek()!)) {
        digits += String.fromCharCode(this.#source.take());
        if (digits.length > MAX_DIGITS) {
          throw new RequestError(`${what} must have at most ${MAX_DIGITS} digits, got more`);
        }
      }
      if (this.#source.buffered > 0) break; // a non-digit byte ends it
      const result = await this.#source.wait(this.#timing.gapMs);
      if (result === "quiet") break;
      if (result === "eof") {
        throw new TruncatedError(`Connection closed right after ${what} ${digits}`);
      }
    }
    return Number(digits);
  }

  /**
   * Reads exactly `length` bytes, passing each piece to `onChunk` as it
   * arrives (the piece is valid only during the call). Throws
   * {@linkcode TruncatedError} if the stream ends first and
   * {@linkcode TimeoutError} if no byte comes for `idleMs`.
   */
  async readBody(length: number, onChunk: (chunk: Uint8Array) => void): Promise<void> {
    let left = length;
    while (left > 0) {
      const what = `the FILE body (${length - left} of ${length} bytes received)`;
      if (!await this.#need(what)) {
        throw new TruncatedError(
          `Connection closed after ${length - left} of ${length} bytes of the FILE body`,
        );
      }
      const chunk = this.#source.takeUpTo(left);
      left -= chunk.length;
      onChunk(chunk);
    }
  }

  /**
   * Drops every byte until the client pauses for `gapMs` or the stream
   * ends: the rest of a bad request. Returns how many bytes it dropped.
   */
  async discardBurst(): Promise<number> {
    let dropped = 0;
    for (;;) {
      dropped += this.#source.takeUpTo(Number.POSITIVE_INFINITY).length;
      if (await this.#source.wait(this.#timing.gapMs) !== "data") return dropped;
    }
  }
}
