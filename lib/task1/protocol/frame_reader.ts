/**
 * Exact-length reads from a byte stream, and whole Task 1 packets on top.
 *
 * @module
 */

import { type ByteReader, ByteSource } from "../../net/byte_source.ts";
import { TruncatedError } from "../../net/errors.ts";
import { withTimeout } from "../../net/deadline.ts";
import { decodeHeader, HEADER_SIZE, packetLength, peekHeader } from "./header.ts";
import { type DecodedPacket, decodePacket } from "./packet.ts";

// The one ByteReader interface is lib/net's; Task 1's API re-exports it.
export type { ByteReader } from "../../net/byte_source.ts";

/**
 * Options for a {@linkcode FrameReader}.
 *
 * @example
 * ```ts
 * import { FrameReader, type FrameReaderOptions } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * let closed = false;
 * const options: FrameReaderOptions = { timeoutMs: 10, onTimeout: () => { closed = true; } };
 * const reader = new FrameReader(new ReadableStream({ type: "bytes" }), options);
 * await assert.rejects(reader.readExact(1), { name: "TimeoutError" });
 * assert.equal(closed, true);
 * ```
 */
export interface FrameReaderOptions {
  /** Longest wait for one read, in milliseconds; `Infinity` (default) waits forever. */
  timeoutMs?: number;
  /**
   * Runs when a read times out, before the `TimeoutError` is thrown. Close the
   * connection here, so the abandoned read settles.
   */
  onTimeout?: () => void;
  /**
   * Sees every frame as it is read: the whole packet, or only its 16 header
   * bytes when the header is rejected (for `--trace`).
   */
  trace?: ((frame: Uint8Array) => void) | undefined;
  /**
   * When aborted, the running operation and every later one reject with the
   * signal's reason at once (the read stays pending, as after a time-out), so
   * a server shutting down can still answer.
   */
  signal?: AbortSignal | undefined;
}

/**
 * Reads exact byte counts from a stream with a BYOB reader, telling a clean
 * close (end of stream before the first byte of a frame: `null`) from a
 * truncated frame ({@linkcode TruncatedError}). It reads through lib/net's
 * `ByteSource` (one 64 KiB buffer), so packets that arrive together cost
 * one read. Operations
 * run one at a time: one that timed out finishes before the next starts.
 *
 * @example
 * ```ts
 * import { FrameReader } from "@cs341/practice2/task1";
 * import { encodePacket } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const data = new TextEncoder().encode("hello");
 * const wire = encodePacket({ flag: 1, keyword: "tree", sid: 20200000, data });
 * const stream = new ReadableStream({
 *   type: "bytes",
 *   start(controller) {
 *     for (const byte of wire) controller.enqueue(new Uint8Array([byte]));
 *     controller.close();
 *   },
 * });
 * const reader = new FrameReader(stream);
 * const packet = await reader.readPacket();
 * assert.equal(new TextDecoder().decode(packet?.data), "hello");
 * assert.equal(await reader.readPacket(), null);
 * ```
 */
export class FrameReader {
  /** The one buffered reader of lib/net: it owns the reads and the buffer. */
  readonly #source: ByteSource;
  readonly #timeoutMs: number;
  readonly #onTimeout: (() => void) | undefined;
  readonly #trace: ((frame: Uint8Array) => void) | undefined;
  /** The bytes the running operation has gathered: `#frame[0..#have)`. */
  #frame = new Uint8Array(HEADER_SIZE);
  #have = 0;
  /** The operation before the next one: operations run one at a time. */
  #tail: Promise<unknown> = Promise.resolve();
  /** What the running operation waits for, for a time-out's message. */
  #waitingFor = "";
  /** How many bytes the running operation waits for (0: none named). */
  #waitingBytes = 0;
  readonly #signal: AbortSignal | undefined;

  /**
   * Reads `source`: a byte stream, locked with a BYOB reader until
   * {@linkcode FrameReader.release}, or anything with a `Deno.Conn`-style
   * `read` (a connection itself: the fastest way, and one that leaves the
   * connection open for writing at end of stream, unlike `conn.readable`).
   */
  constructor(source: ReadableStream<Uint8Array> | ByteReader, options: FrameReaderOptions = {}) {
    this.#source = new ByteSource(source, { initialSize: READ_SIZE, maxSize: READ_SIZE });
    this.#timeoutMs = options.timeoutMs ?? Infinity;
    this.#onTimeout = options.onTimeout;
    this.#trace = options.trace;
    this.#signal = options.signal;
  }

  /** What the running operation waits for, with how much of a header had arrived. */
  #describeWait(): string {
    const arrived = this.#have;
    return arrived > 0 && this.#waitingBytes === HEADER_SIZE && this.#waitingBytes > arrived
      ? `${this.#waitingFor} (${arrived} of its ${HEADER_SIZE} bytes had arrived)`
      : this.#waitingFor;
  }

  /** Settles like `work`, or rejects with the signal's reason once it aborts. */
  #abortable<T>(work: Promise<T>): Promise<T> {
    const signal = this.#signal;
    if (signal === undefined) return work;
    if (signal.aborted) return Promise.reject(signal.reason);
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(signal.reason);
      signal.addEventListener("abort", onAbort, { once: true });
    });
    return Promise.race([work, aborted]).finally(() =>
      signal.removeEventListener("abort", onAbort)
    );
  }

  /**
   * Runs `op` after the operations before it, within `timeoutMs` in all.
   * An operation that timed out goes on in the background (its read stays
   * pending), and the next one waits for it inside its own time limit.
   */
  async #run<T>(op: () => Promise<T>, timeoutMs: number): Promise<T> {
    const run = this.#tail.then(op);
    this.#tail = run.then(() => {}, () => {});
    return await withTimeout(
      this.#abortable(run),
      timeoutMs,
      () => this.#describeWait(),
      this.#onTimeout,
    );
  }

  /**
   * Gathers bytes from the source until the running operation has `n` of
   * them or the stream ends; returns how many it has. One read takes
   * whatever has arrived, so several small packets cost one read.
   */
  async #fill(n: number, what: string): Promise<number> {
    this.#waitingFor = what;
    this.#waitingBytes = n;
    if (this.#frame.length < n) {
      const grown = new Uint8Array(n);
      grown.set(this.#frame.subarray(0, this.#have));
      this.#frame = grown;
    }
    const source = this.#source;
    while (this.#have < n) {
      if (source.buffered === 0 && await source.wait(Infinity) === "eof") break;
      const piece = source.takeUpTo(n - this.#have);
      this.#frame.set(piece, this.#have);
      this.#have += piece.length;
    }
    return this.#have;
  }

  /** Hands over the `n` gathered bytes as the caller's own array and starts afresh. */
  #take(n: number): Uint8Array {
    const frame = this.#frame;
    this.#frame = new Uint8Array(HEADER_SIZE);
    this.#have = 0;
    return frame.length === n ? frame : frame.slice(0, n);
  }

  /**
   * Reads exactly `n` bytes. Resolves `null` when the stream ends before the
   * first byte; throws {@linkcode TruncatedError} when it ends after some, and
   * `TimeoutError` when they take longer than the time limit (the reader's,
   * or `timeoutMs` for this call). `what` names the bytes in error messages.
   */
  readExact(
    n: number,
    what = `${n} bytes`,
    timeoutMs: number = this.#timeoutMs,
  ): Promise<Uint8Array | null> {
    return this.#run(async () => {
      if (n === 0) return new Uint8Array(0);
      const got = await this.#fill(n, what);
      if (got >= n) return this.#take(n);
      if (got === 0) return null;
      throw new TruncatedError(`Connection closed after ${got} of the ${n} bytes of ${what}`);
    }, timeoutMs);
  }

  /**
   * Reads one whole packet as bytes, without judging it: the 16-byte header,
   * passed to `check` (by default {@linkcode packetLength}, which checks only
   * the length field), then the rest of the length `check` returns. Resolves
   * `null` on a clean close between packets; throws what `check` throws,
   * {@linkcode TruncatedError} for a close inside the packet, `TimeoutError`
   * when the packet takes longer than `timeoutMs` in all.
   */
  readFrame(
    timeoutMs: number = this.#timeoutMs,
    check: (header: Uint8Array) => number = packetLength,
  ): Promise<Uint8Array | null> {
    return this.#run(async () => {
      const got = await this.#fill(HEADER_SIZE, "a packet header");
      if (got === 0) return null;
      if (got < HEADER_SIZE) {
        throw new TruncatedError(
          `Connection closed after ${got} of the ${HEADER_SIZE} bytes of a packet header`,
        );
      }
      const header = this.#frame.subarray(0, HEADER_SIZE);
      let length: number;
      try {
        length = check(header);
      } catch (error) {
        this.#trace?.(header.slice());
        this.#have = 0;
        throw error;
      }
      const rest = length - HEADER_SIZE;
      const have = await this.#fill(length, `the data of a ${length}-byte packet`) - HEADER_SIZE;
      if (have < rest) {
        this.#have = 0;
        throw new TruncatedError(
          have === 0
            ? `Connection closed after the header of a ${length}-byte packet, before its ${rest} data bytes`
            : `Connection closed after ${have} of the ${rest} bytes of the data of a ${length}-byte packet`,
        );
      }
      const frame = this.#take(length);
      this.#trace?.(frame);
      return frame;
    }, timeoutMs);
  }

  /**
   * Reads one whole packet and decodes it strictly: the header is checked
   * field by field in wire order as soon as it arrives, then the checksum.
   * Resolves `null` on a clean close between packets. Throws `HeaderError`
   * for a malformed header, `ChecksumError` for a bad checksum,
   * {@linkcode TruncatedError} for a close inside the packet. `timeoutMs`
   * overrides the reader's time limit for the packet.
   */
  async readPacket(timeoutMs: number = this.#timeoutMs): Promise<DecodedPacket | null> {
    const frame = await this.readFrame(timeoutMs, (header) => decodeHeader(header).length);
    return frame === null ? null : decodePacket(frame);
  }

  /**
   * True when a whole packet (by its length field) is already buffered, so
   * reading it needs no wait.
   */
  hasBufferedPacket(): boolean {
    if (this.#have > 0) return false;
    const ahead = this.#source.peekUpTo(Infinity);
    return ahead.length >= HEADER_SIZE && ahead.length >= peekHeader.length(ahead, 0);
  }

  /**
   * Throws away what is buffered, or else whatever arrives next. Resolves
   * how many bytes went, or `null` at end of stream; throws `TimeoutError`
   * after `timeoutMs`.
   */
  discard(timeoutMs: number = this.#timeoutMs): Promise<number | null> {
    return this.#run(async () => {
      const got = await this.#fill(1, "bytes to discard");
      if (got === 0) return null;
      const rest = this.#source.takeUpTo(Infinity).length;
      this.#have = 0;
      return got + rest;
    }, timeoutMs);
  }

  /** Releases the stream's lock, if it reads a stream; a pending read is rejected. */
  release(): void {
    this.#source.release();
  }
}

/** The read buffer: large enough that a burst of packets costs one read. */
const READ_SIZE = 64 * 1024;
