/**
 * Exact-length reads from a byte stream, and whole Task 1 packets on top.
 *
 * @module
 */

import { withTimeout } from "../net/deadline.ts";
import { TruncatedError } from "../net/errors.ts";
import { decodeHeader, HEADER_SIZE } from "./header.ts";
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
}

/**
 * Reads exact byte counts from a stream with a BYOB reader, telling a clean
 * close (end of stream before the first byte of a frame: `null`) from a
 * truncated frame ({@linkcode TruncatedError}).
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

  /** Locks `readable` with a BYOB reader until {@linkcode FrameReader.release}. */
  constructor(readable: ReadableStream<Uint8Array>, options: FrameReaderOptions = {}) {
    this.#reader = readable.getReader({ mode: "byob" });
    this.#timeoutMs = options.timeoutMs ?? Infinity;
    this.#onTimeout = options.onTimeout;
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
    const read = this.#reader.read(new Uint8Array(n), { min: n });
    const { value } = await withTimeout(read, timeoutMs, what, this.#onTimeout);
    const got = value?.length ?? 0;
    if (got === n) return value!;
    if (got === 0) return null;
    throw new TruncatedError(`Connection closed after ${got} of the ${n} bytes of ${what}`);
  }

  /**
   * Reads one whole packet: the 16-byte header, checked at once, then the
   * rest of its `length`, then the checksum. Resolves `null` on a clean close
   * between packets. Throws `HeaderError` for a malformed header,
   * `ChecksumError` for a bad checksum, {@linkcode TruncatedError} for a
   * close inside the packet. `timeoutMs` overrides the reader's time limit
   * for each of the two reads.
   */
  async readPacket(timeoutMs: number = this.#timeoutMs): Promise<DecodedPacket | null> {
    const header = await this.readExact(HEADER_SIZE, "a packet header", timeoutMs);
    if (header === null) return null;
    const { length } = decodeHeader(header);
    const rest = length - HEADER_SIZE;
    const data = await this.readExact(rest, `the data of a ${length}-byte packet`, timeoutMs);
    if (data === null) {
      throw new TruncatedError(
        `Connection closed after the header of a ${length}-byte packet, before its ${rest} data bytes`,
      );
    }
    const packet = new Uint8Array(length);
    packet.set(header);
    packet.set(data, HEADER_SIZE);
    return decodePacket(packet);
  }

  /** Releases the stream's lock; a pending read is rejected. */
  release(): void {
    this.#reader.releaseLock();
  }
}
