/**
 * A buffered byte reader over a byte stream (such as `conn.readable`) that
 * can wait for the next byte with a time limit and, when the limit passes
 * first, keep that read pending for the next wait. Task 2's framing needs
 * exactly this: "no byte for a while" is a message boundary, not an error,
 * and a second read must never start while one is still pending.
 *
 * @module
 */

/**
 * What {@linkcode ByteSource.wait} saw.
 *
 * @example
 * ```ts
 * import { type WaitResult } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const result: WaitResult = "quiet"; // the time limit passed, the read stays pending
 * assert.equal(result, "quiet");
 * ```
 */
export type WaitResult = "data" | "eof" | "quiet";

type Settled =
  | { ok: true; result: ReadableStreamReadResult<Uint8Array> }
  | { ok: false; error: unknown };

/**
 * Reads a byte stream through one BYOB reader and one reused buffer.
 *
 * @example
 * ```ts
 * import { ByteSource } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const bytes = new TextEncoder().encode("hi");
 * const stream = new ReadableStream({
 *   type: "bytes",
 *   start(controller) {
 *     controller.enqueue(bytes);
 *     controller.close();
 *   },
 * });
 * const source = new ByteSource(stream);
 * assert.equal(await source.wait(100), "data");
 * assert.equal(source.take(), 0x68);
 * assert.deepEqual(source.takeUpTo(10), new Uint8Array([0x69]));
 * assert.equal(await source.wait(100), "eof");
 * ```
 */
export class ByteSource {
  readonly #reader: ReadableStreamBYOBReader;
  #spare: ArrayBuffer | undefined;
  #chunk: Uint8Array = new Uint8Array(0);
  #offset = 0;
  #pending: Promise<Settled> | undefined;
  #eof = false;
  readonly #chunkSize: number;

  /** Reads `stream` (a byte stream) in pieces of up to `chunkSize` bytes. */
  constructor(stream: ReadableStream<Uint8Array>, chunkSize = 64 * 1024) {
    this.#reader = stream.getReader({ mode: "byob" });
    this.#chunkSize = chunkSize;
    this.#spare = new ArrayBuffer(chunkSize);
  }

  /** How many bytes are buffered and not yet taken. */
  get buffered(): number {
    return this.#chunk.length - this.#offset;
  }

  /** The next buffered byte without taking it, or `undefined` if none. */
  peek(): number | undefined {
    return this.#chunk[this.#offset];
  }

  /** Takes the next buffered byte; throws if none is buffered. */
  take(): number {
    const byte = this.#chunk[this.#offset];
    if (byte === undefined) throw new RangeError("No byte is buffered");
    this.#offset++;
    return byte;
  }

  /**
   * Takes up to `max` buffered bytes, possibly none. The view is valid only
   * until the next {@linkcode ByteSource.wait}, which reuses the buffer.
   */
  takeUpTo(max: number): Uint8Array {
    const end = Math.min(this.#chunk.length, this.#offset + max);
    const view = this.#chunk.subarray(this.#offset, end);
    this.#offset = end;
    return view;
  }

  /**
   * Resolves `"data"` once at least one byte is buffered, `"eof"` at end of
   * stream, or `"quiet"` when `ms` milliseconds pass first; the read then
   * stays pending and the next call waits on it. A failed read rejects.
   */
  async wait(ms: number): Promise<WaitResult> {
    while (this.buffered === 0) {
      if (this.#eof) return "eof";
      const settled = await this.#race(ms);
      if (settled === undefined) return "quiet";
      this.#pending = undefined;
      if (!settled.ok) throw settled.error;
      const { done, value } = settled.result;
      if (value !== undefined) {
        this.#chunk = value;
        this.#offset = 0;
        this.#spare = value.buffer as ArrayBuffer;
      }
      if (done) this.#eof = true;
    }
    return "data";
  }

  #race(ms: number): Promise<Settled | undefined> {
    if (this.#pending === undefined) {
      const buffer = this.#spare ?? new ArrayBuffer(this.#chunkSize);
      this.#spare = undefined;
      // The read detaches `buffer`, which the taken chunk may view.
      this.#chunk = new Uint8Array(0);
      this.#offset = 0;
      this.#pending = this.#reader.read(new Uint8Array(buffer)).then(
        (result) => ({ ok: true, result }),
        (error) => ({ ok: false, error }),
      );
    }
    if (!Number.isFinite(ms)) return this.#pending;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const quiet = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    });
    return Promise.race([this.#pending, quiet]).finally(() => clearTimeout(timer));
  }
}
