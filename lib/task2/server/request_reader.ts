/**
 * Task 2 framing: the tokens of a compute-server conversation, read from a
 * {@linkcode ByteSource} however TCP splits or merges the client's writes.
 *
 * - The client's name runs to a line feed or to the end of the client's
 *   write (the end of a read that did not fill the buffer).
 * - A keyword is recognized byte by byte, in any letter case; no keyword is
 *   a prefix of another, so it ends on its last letter.
 * - A number is ASCII digits, ending at a non-digit byte (left unread) or at
 *   the end of the client's write. Once the client has split a keyword
 *   across writes, only a quiet gap (or a non-digit) ends a number.
 * - A FILE body is exactly `length` bytes, handed on chunk by chunk.
 *
 * With `framing: "pauses"` only a quiet gap (or a line feed, for a name; a
 * non-digit, for a number) ends a name or a number, whatever the writes.
 *
 * ASCII whitespace before a keyword or a number is skipped. Waiting longer
 * than `idleMs` for a byte the protocol needs throws {@linkcode TimeoutError}.
 *
 * @module
 */

import type { ByteSource, WaitResult } from "../../net/byte_source.ts";
import { showBytes } from "../../net/peer_text.ts";
import { now } from "../../net/deadline.ts";
import { RequestError } from "../protocol/errors.ts";
import { TimeoutError, TruncatedError } from "../../net/errors.ts";
import { isAsciiSpace } from "../compute/word_count.ts";
import {
  DIGIT_0,
  isDigit,
  type Keyword,
  KEYWORDS,
  LINE_FEED,
  MAX_DIGITS,
  type ReaderTiming,
  upper,
} from "../protocol/tokens.ts";

export { FRAMINGS, KEYWORDS } from "../protocol/tokens.ts";
export type { Framing, Keyword, ReaderTiming } from "../protocol/tokens.ts";

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
 * using source = new ByteSource(stream);
 * const reader = new RequestReader(source, { gapMs: 10, idleMs: 1000 });
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
  readonly #byWrites: boolean;
  readonly #sliceMs: number;
  #split = false;

  /** Reads from `source` with the pauses in `timing`. */
  constructor(source: ByteSource, timing: ReaderTiming) {
    this.#source = source;
    this.#timing = timing;
    this.#byWrites = (timing.framing ?? "writes") === "writes";
    this.#sliceMs = timing.sliceMs ?? 4;
  }

  /**
   * True once the client has split a keyword across writes: from then on
   * only a quiet gap or a non-digit ends a number.
   */
  get splitsWrites(): boolean {
    return this.#split;
  }

  /** Waits up to `ms`, but never past the session deadline. */
  #wait(ms: number, what: string): Promise<WaitResult> {
    // No async frame on the common path: an idle session holds less.
    const deadline = this.#timing.deadline;
    if (deadline === undefined) return this.#source.wait(ms);
    const left = deadline - now();
    if (left >= ms) return this.#source.wait(ms);
    return this.#waitLast(left, what);
  }

  /** Waits the `left` ms of the session; a quiet end is the session's. */
  async #waitLast(left: number, what: string): Promise<WaitResult> {
    const result = left > 0 ? await this.#source.wait(left) : "quiet";
    if (result !== "quiet") return result;
    throw new TimeoutError(`Session time limit reached while waiting for ${what}`);
  }

  /** Waits for a needed byte: false at end of stream, throws on timeout. */
  async #need(what: string): Promise<boolean> {
    return this.#needed(await this.#wait(this.#timing.idleMs, what), what);
  }

  /** A needed byte's wait: true for data, false at end of stream; throws when quiet. */
  #needed(result: WaitResult, what: string): boolean {
    if (result === "quiet") {
      throw new TimeoutError(`Timed out after ${this.#timing.idleMs} ms waiting for ${what}`);
    }
    return result === "data";
  }

  /**
   * After the last buffered byte of a name or number: true when its end is
   * also the end of the client's message, waiting for a quiet gap when
   * only a pause can tell. False when more bytes came.
   */
  async #endsHere(what: string): Promise<boolean> {
    const source = this.#source;
    if (this.#byWrites && !this.#split && source.atBoundary) return true;
    // A read that filled the buffer: more is already on its way.
    const ms = source.atBoundary ? this.#timing.gapMs : this.#timing.idleMs;
    const result = await this.#wait(ms, what);
    if (result === "quiet" && ms === this.#timing.gapMs) return true;
    if (result === "quiet") {
      throw new TimeoutError(`Timed out after ${ms} ms waiting for ${what}`);
    }
    if (result === "eof") throw new TruncatedError(`Connection closed right after ${what}`);
    return false;
  }

  /** Moves buffered bytes up to whitespace into `seen`, up to `max` in all. */
  #takeWord(seen: number[], max: number): number[] {
    const source = this.#source;
    while (seen.length < max && source.buffered > 0 && !isAsciiSpace(source.peek()!)) {
      seen.push(source.take());
    }
    return seen;
  }

  /** Skips whitespace; false at end of stream. */
  async #skipSpace(what: string): Promise<boolean> {
    const source = this.#source;
    // Fast path: the token is already here.
    for (let byte = source.peek(); byte !== undefined; byte = source.peek()) {
      if (!isAsciiSpace(byte)) return true;
      source.take();
    }
    for (;;) {
      if (!await this.#need(what)) return false;
      const byte = this.#source.peek()!;
      if (!isAsciiSpace(byte)) return true;
      this.#source.take();
    }
  }

  /**
   * Reads the client's name: every byte up to a line feed or the end of the
   * client's write (a quiet gap with `framing: "pauses"`), without leading
   * and trailing whitespace. Returns `null` if the stream ends before any
   * byte; throws {@linkcode RequestError} past `maxBytes` or for an empty name.
   */
  async readName(maxBytes: number): Promise<Uint8Array | null> {
    if (!await this.#need("the client's name")) return null;
    const source = this.#source;
    const bytes: number[] = [];
    for (;;) {
      let byte = source.peek();
      while (byte !== undefined && byte !== LINE_FEED) {
        bytes.push(source.take());
        if (bytes.length > maxBytes) {
          throw new RequestError(`Client name must be at most ${maxBytes} bytes, got more`);
        }
        byte = source.peek();
      }
      if (byte === LINE_FEED) {
        source.take();
        if (bytes.some((b) => !isAsciiSpace(b))) break;
        continue;
      }
      if (this.#byWrites && source.atBoundary) break;
      const ms = source.atBoundary ? this.#timing.gapMs : this.#timing.idleMs;
      if (await this.#wait(ms, "the rest of the client's name") !== "data") break;
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
  readKeyword(): Promise<Keyword | null> {
    if (this.#source.buffered > 0) return this.#keyword();
    // Between requests a session mostly waits: it does so without an async
    // frame of this reader's, so an idle session holds less memory.
    const what = "a request";
    return this.#wait(this.#timing.idleMs, what).then((result) =>
      this.#needed(result, what) ? this.#keyword() : null
    );
  }

  async #keyword(): Promise<Keyword | null> {
    if (!await this.#skipSpace("a request")) return null;
    const source = this.#source;
    // Bit i set: KEYWORDS[i] still matches the bytes seen so far.
    let candidates = (1 << KEYWORDS.length) - 1;
    const seen: number[] = [];
    for (;;) {
      const raw = source.take();
      const byte = upper(raw);
      const at = seen.length;
      seen.push(raw); // quoted as sent
      for (let i = 0; i < KEYWORDS.length; i++) {
        const keyword = KEYWORDS[i]!;
        if ((candidates >> i) & 1 && keyword.charCodeAt(at) !== byte) candidates &= ~(1 << i);
        else if ((candidates >> i) & 1 && keyword.length === at + 1) return keyword;
      }
      if (candidates === 0) {
        this.#takeWord(seen, 24); // what is already here of it, for the message
        throw new RequestError(
          `Unknown request '${showBytes(seen)}', expected ${KEYWORDS.join(", ")}`,
        );
      }
      if (source.buffered > 0) continue;
      // The client split the keyword across writes (not merely a full buffer).
      if (source.atBoundary) this.#split = true;
      // Self-delimiting: the rest of a keyword may come after any pause.
      const text = String.fromCharCode(...seen);
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
    const source = this.#source;
    const first = source.peek()!;
    if (!isDigit(first)) {
      const shown = showBytes(this.#takeWord([], 16));
      const problem = first === 0x2d ? "must not be negative" : "must be a decimal number";
      throw new RequestError(`${what} ${problem}, got '${shown}'`);
    }
    let value = 0;
    let digits = 0;
    for (;;) {
      let byte = source.peek();
      while (byte !== undefined && isDigit(byte)) {
        source.take();
        value = value * 10 + byte - DIGIT_0;
        if (++digits > MAX_DIGITS) {
          throw new RequestError(`${what} must have at most ${MAX_DIGITS} digits, got more`);
        }
        byte = source.peek();
      }
      if (byte !== undefined) break; // a non-digit byte ends it
      if (await this.#endsHere(`${what} ${value}`)) break;
    }
    return value;
  }

  /**
   * Reads exactly `length` bytes, passing each piece to `onChunk` as it
   * arrives (the piece is valid only during the call). Every `sliceMs` of
   * reading it yields to other connections. Throws
   * {@linkcode TruncatedError} if the stream ends first and
   * {@linkcode TimeoutError} if no byte comes for `idleMs`.
   */
  async readBody(length: number, onChunk: (chunk: Uint8Array) => void): Promise<void> {
    let left = length;
    let sliceStart = performance.now();
    while (left > 0) {
      if (this.#source.buffered === 0) {
        const what = `the FILE body (${length - left} of ${length} bytes received)`;
        if (!await this.#need(what)) {
          throw new TruncatedError(
            `Connection closed after ${length - left} of ${length} bytes of the FILE body`,
          );
        }
      }
      const chunk = this.#source.takeUpTo(left);
      left -= chunk.length;
      onChunk(chunk);
      if (performance.now() - sliceStart >= this.#sliceMs) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        sliceStart = performance.now();
      }
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
      const result = await this.#wait(this.#timing.gapMs, "the rest of a bad request");
      if (result !== "data") return dropped;
    }
  }
}
