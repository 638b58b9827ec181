/**
 * Exact-length reads from a byte stream, and whole Task 1 packets on top.
 *
 * @module
 */

import { withTimeout } from "../net/deadline.ts";
import { TruncatedError } from "../net/errors.ts";
import { decodeHeader, HEADER_SIZE, packetLength } from "./header.ts";
import { type DecodedPacket, decodePacket } from "./packet.ts";

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
}

/**
 * Reads exact byte counts from a stream with a BYOB reader, telling a clean
 * close (end of stream before the first byte of a frame: `null`) from a
 * truncated frame ({@linkcode TruncatedError}). A read that timed out stays
 * pending; after it only {@linkcode FrameReader.discard} may read on.
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
  readonly #reader: ReadableStreamBYOBReader;
  readonly #timeoutMs: number;
  readonly #onTimeout: (() => void) | undefined;
  readonly #trace: ((frame: Uint8Array) => void) | undefined;
  #pending: Promise<ReadableStreamReadResult<Uint8Array>> | undefined;
  #scratch: Uint8Array | undefined;

  /** Locks `readable` with a BYOB reader until {@linkcode FrameReader.release}. */
  constructor(readable: ReadableStream<Uint8Array>, options: FrameReaderOptions = {}) {
    this.#reader = readable.getReader({ mode: "byob" });
    this.#timeoutMs = options.timeoutMs ?? Infinity;
    this.#onTimeout = options.onTimeout;
    this.#trace = options.trace;
  }

  /** One read of at least `min` bytes into `view`, remembered while pending. */
  #read(view: Uint8Array, min: number, what: string, timeoutMs: number) {
    if (this.#pending) {
      throw new Error(`Cannot read ${what}: a read that timed out is still pending`);
    }
    const read = this.#reader.read(view, { min });
    this.#pending = read;
    const settled = () => {
      if (this.#pending === read) this.#pending = undefined;
    };
    read.then(settled, settled);
    return withTimeout(read, timeoutMs, what, this.#onTimeout);
  }

  /**
   * Reads exactly `n` bytes. Resolves `null` when the stream ends before the
   * first byte; throws {@linkcode TruncatedError} when it ends after some, and
   * `TimeoutError` when one read waits longer than the time limit (the
   * reader's, or `timeoutMs` for this call). `what` names the bytes in error
   * messages.
   */
  async readExact(
    n: number,
    what = `${n} bytes`,
    timeoutMs: number = this.#timeoutMs,
  ): Promise<Uint8Array | null> {
    if (n === 0) return new Uint8Array(0);
    return await this.#fill(new Uint8Array(n), what, timeoutMs);
  }

  async #fill(view: Uint8Array, what: string, timeoutMs: number): Promise<Uint8Array | null> {
    const n = view.length;
    const { value } = await this.#read(view, n, what, timeoutMs);
    const got = value?.length ?? 0;
    if (got === n) return value!;
    if (got === 0) return null;
    throw new TruncatedError(`Connection closed after ${got} of the ${n} bytes of ${what}`);
  }

  /**
   * Reads one whole packet as bytes, without judging it: the 16-byte header,
   * passed to `check` (by default {@linkcode packetLength}, which checks only
   * the length field), then the rest of the length `check` returns. Resolves
   * `null` on a clean close between packets; throws what `check` throws,
   * {@linkcode TruncatedError} for a close inside the packet, `TimeoutError`.
   */
  async readFrame(
    timeoutMs: number = this.#timeoutMs,
    check: (header: Uint8Array) => number = packetLength,
  ): Promise<Uint8Array | null> {
    const header = await this.readExact(HEADER_SIZE, "a packet header", timeoutMs);
    if (header === null) return null;
    let length: number;
    try {
      length = check(header);
    } catch (error) {
      this.#trace?.(header);
      throw error;
    }
    let frame: Uint8Array = new Uint8Array(length);
    frame.set(header);
    if (length > HEADER_SIZE) {
      // The data is read straight into its place after the header.
      const what = `the data of a ${length}-byte packet`;
      const data = await this.#fill(frame.subarray(HEADER_SIZE), what, timeoutMs);
      if (data === null) {
        throw new TruncatedError(
          `Connection closed after the header of a ${length}-byte packet, before its ${
            length - HEADER_SIZE
          } data bytes`,
        );
      }
      frame = new Uint8Array(data.buffer, 0, length);
    }
    this.#trace?.(frame);
    return frame;
  }

  /**
   * Reads one whole packet and decodes it strictly: the header is checked
   * field by field in wire order as soon as it arrives, then the checksum.
   * Resolves `null` on a clean close between packets. Throws `HeaderError`
   * for a malformed header, `ChecksumError` for a bad checksum,
   * {@linkcode TruncatedError} for a close inside the packet. `timeoutMs`
   * overrides the reader's time limit for each of the two reads.
   */
  async readPacket(timeoutMs: number = this.#timeoutMs): Promise<DecodedPacket | null> {
    const frame = await this.readFrame(timeoutMs, (header) => decodeHeader(header).length);
    return frame === null ? null : decodePacket(frame);
  }

  /**
   * Reads and throws away whatever arrives next (up to 64 KiB), first
   * settling a read that timed out. Resolves how many bytes went, or `null`
   * at end of stream; throws `TimeoutError` after `timeoutMs`.
   */
  async discard(timeoutMs: number = this.#timeoutMs): Promise<number | null> {
    const pending = this.#pending;
    if (pending) {
      const { value, done } = await withTimeout(pending, timeoutMs, "bytes to discard");
      return done && !value?.length ? null : value?.length ?? 0;
    }
    const { value, done } = await this.#read(
      this.#scratch ?? new Uint8Array(64 * 1024),
      1,
      "bytes to discard",
      timeoutMs,
    );
    if (value) this.#scratch = new Uint8Array(value.buffer);
    return done && !value?.length ? null : value?.length ?? 0;
  }

  /** Releases the stream's lock; a pending read is rejected. */
  release(): void {
    this.#reader.releaseLock();
  }
}
