/**
 * A buffered byte reader over a connection (or any byte stream) that can
 * wait for the next byte with a time limit and, when the limit passes
 * first, keep that read pending for the next wait. It also tells where the
 * peer's reads ended ({@linkcode ByteSource.atBoundary}): Task 2's framing
 * takes the end of a read as the end of the client's write.
 *
 * Memory stays small for an idle connection: the buffer starts at
 * `initialSize` bytes, doubles (up to `maxSize`) while reads fill it, and
 * shrinks back once reads are small again.
 *
 * @module
 */

import { Deadline } from "./deadline.ts";

/**
 * What {@linkcode ByteSource.wait} saw.
 *
 * @example
 * ```ts
 * import { ByteSource, type WaitResult } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * using source = new ByteSource(new ReadableStream({ type: "bytes" })); // a silent peer
 * const result: WaitResult = await source.wait(10);
 * assert.equal(result, "quiet"); // the time limit passed, the read stays pending
 * ```
 */
export type WaitResult = "data" | "eof" | "quiet";

/**
 * Anything with a `Deno.Conn`-style `read`: fills part of `p`, `null` at
 * end. The one such interface: `ByteSource` reads from it, and Task 1's
 * `FrameReader` sits on a `ByteSource`.
 *
 * @example
 * ```ts
 * import { ByteSource, type ByteReader } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * let sent = false;
 * const input: ByteReader = {
 *   read(p) {
 *     if (sent) return Promise.resolve(null);
 *     sent = true;
 *     p.set([1, 2, 3]);
 *     return Promise.resolve(3);
 *   },
 * };
 * using source = new ByteSource(input);
 * assert.equal(await source.wait(1000), "data");
 * assert.deepEqual(source.takeUpTo(10), new Uint8Array([1, 2, 3]));
 * assert.equal(await source.wait(1000), "eof");
 * ```
 */
export interface ByteReader {
  /** Reads into `p`; resolves how many bytes, or `null` at end of stream. */
  read(p: Uint8Array): Promise<number | null>;
}

/** Buffer sizes of a {@linkcode ByteSource}. */
export interface ByteSourceSizes {
  /** The buffer an idle source holds; default 2048 bytes. */
  initialSize?: number;
  /** The largest buffer it grows to while reads fill it; default 65536 bytes. */
  maxSize?: number;
  /**
   * The timer for {@linkcode ByteSource.wait}'s time limit, to share with
   * other waits that never overlap a read (such as a write's); default its
   * own. A shared timer is left armed between waits (cheaper per message):
   * its owner must dispose it.
   */
  timer?: Deadline;
}

const EMPTY = new Uint8Array(0);

/**
 * Reads a connection or byte stream through one small, reused buffer.
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
 * using source = new ByteSource(stream);
 * assert.equal(await source.wait(100), "data");
 * assert.equal(source.take(), 0x68);
 * assert.equal(source.atBoundary, false); // "i" is still buffered
 * assert.deepEqual(source.takeUpTo(10), new Uint8Array([0x69]));
 * assert.equal(source.atBoundary, true); // the read that brought "hi" ended here
 * assert.equal(await source.wait(100), "eof");
 * ```
 */
export class ByteSource implements Disposable {
  readonly #input: ByteReader | ReadableStreamBYOBReader;
  readonly #initialSize: number;
  readonly #maxSize: number;
  #buffer: Uint8Array;
  #chunk: Uint8Array = EMPTY;
  #offset = 0;
  #filled = false;
  #pending: Promise<void> | undefined;
  #eof = false;
  #failure: { error: unknown } | undefined;
  // The outstanding wait's promise: its own resolving functions, no closure
  // of ours (an idle connection holds one of these).
  #resolve: ((result: WaitResult) => void) | undefined;
  #reject: ((error: Error) => void) | undefined;
  readonly #timer: Deadline;
  readonly #ownTimer: boolean;
  readonly #quiet = () => this.#wake("quiet");
  #ended: Promise<void> | undefined;
  #resolveEnded: (() => void) | undefined;

  /**
   * Reads `input`: a connection (read with `conn.read`) or a byte stream
   * (read through a BYOB reader). A number as second argument is the
   * largest buffer, as in earlier versions.
   */
  constructor(
    input: ByteReader | ReadableStream<Uint8Array>,
    sizes: ByteSourceSizes | number = {},
  ) {
    const options = typeof sizes === "number" ? { maxSize: sizes } : sizes;
    this.#maxSize = options.maxSize ?? 64 * 1024;
    this.#initialSize = Math.min(options.initialSize ?? 2048, this.#maxSize);
    this.#buffer = new Uint8Array(this.#initialSize);
    this.#ownTimer = options.timer === undefined;
    this.#timer = options.timer ?? new Deadline(this.#quiet);
    this.#input = input instanceof ReadableStream ? input.getReader({ mode: "byob" }) : input;
  }

  /** How many bytes are buffered and not yet taken. */
  get buffered(): number {
    return this.#chunk.length - this.#offset;
  }

  /**
   * True when nothing is buffered and the last read ended short of filling
   * the buffer: the peer had sent no more at that moment, which on TCP
   * means its write ended there (or a pause split it).
   */
  get atBoundary(): boolean {
    return this.buffered === 0 && !this.#filled && !this.#eof;
  }

  /** Resolves once the stream has ended or failed (never rejects). */
  get ended(): Promise<void> {
    if (this.#ended === undefined) {
      const over = this.#eof || this.#failure !== undefined;
      this.#ended = over
        ? Promise.resolve()
        : new Promise((resolve) => (this.#resolveEnded = resolve));
    }
    return this.#ended;
  }

  /** The size of the buffer right now. */
  get capacity(): number {
    return this.#buffer.length;
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
   * The buffered bytes, up to `max`, without taking them. The view is valid
   * only until the next {@linkcode ByteSource.wait}.
   */
  peekUpTo(max: number): Uint8Array {
    return this.#chunk.subarray(this.#offset, Math.min(this.#chunk.length, this.#offset + max));
  }

  /**
   * Releases the stream's lock when reading a byte stream (a pending read
   * then fails); a connection needs no release.
   */
  release(): void {
    if (this.#input instanceof ReadableStreamBYOBReader) this.#input.releaseLock();
  }

  /**
   * Starts the next read if nothing is buffered and none is pending, so
   * that {@linkcode ByteSource.ended} can notice the peer leaving.
   */
  prefetch(): void {
    if (this.buffered === 0 && !this.#eof && this.#failure === undefined) this.#startRead();
  }

  /**
   * Resolves `"data"` once at least one byte is buffered, `"eof"` at end of
   * stream, or `"quiet"` when `ms` milliseconds pass first; the read then
   * stays pending and the next call waits on it. A failed read rejects.
   * Only one wait may be outstanding at a time.
   */
  wait(ms: number): Promise<WaitResult> {
    const now = this.#state();
    if (now !== undefined) return now;
    return new Promise<WaitResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
      this.#startRead();
      if (Number.isFinite(ms)) this.#timer.set(ms, this.#quiet);
    });
  }

  /** Cancels the wait timer; reads stay as they are. */
  [Symbol.dispose](): void {
    this.#timer[Symbol.dispose]();
  }

  /** At the end of the stream no wait needs a timer: drop our own at once. */
  #ended$(): void {
    if (this.#ownTimer) this.#timer[Symbol.dispose]();
  }

  #state(): Promise<WaitResult> | undefined {
    if (this.buffered > 0) return Promise.resolve("data");
    if (this.#failure !== undefined) return Promise.reject(this.#failure.error);
    if (this.#eof) return Promise.resolve("eof");
    return undefined;
  }

  /** Reads into `buffer`: a view of what came, or `null` at end of stream. */
  #readInto(buffer: Uint8Array): Promise<Uint8Array | number | null> {
    const input = this.#input;
    if (input instanceof ReadableStreamBYOBReader) {
      // A BYOB read transfers `buffer` and hands back a view of the same memory.
      return input.read(buffer).then(({ done, value }) =>
        value === undefined || (done && value.length === 0) ? null : value
      );
    }
    // A connection's count goes straight to #arrived (one promise less).
    return input.read(buffer);
  }

  #wake(result: WaitResult | Error): void {
    const [resolve, reject] = [this.#resolve, this.#reject];
    if (resolve === undefined || reject === undefined) return;
    this.#resolve = this.#reject = undefined;
    // A timer the caller shares (and disposes) stays armed for the next
    // wait (Deadline.disarm): no setTimeout and clearTimeout per message,
    // some 50 us of a reply's latency. Our own timer is cleared at once, so
    // a source dropped without dispose leaves no timer behind.
    if (this.#ownTimer) this.#timer.clear();
    else this.#timer.disarm();
    if (result instanceof Error) reject(result);
    else resolve(result);
  }

  #startRead(): void {
    if (this.#pending !== undefined) return;
    // Grow while reads fill the buffer; shrink back once they do not.
    if (this.#filled && this.#buffer.length < this.#maxSize) {
      this.#buffer = new Uint8Array(Math.min(this.#maxSize, this.#buffer.length * 2));
    } else if (!this.#filled && this.#buffer.length > this.#initialSize) {
      this.#buffer = new Uint8Array(this.#initialSize);
    }
    const buffer = this.#buffer;
    this.#chunk = EMPTY;
    this.#offset = 0;
    this.#pending = this.#readInto(buffer).then(
      (got) => this.#arrived(typeof got === "number" ? buffer.subarray(0, got) : got),
      (error) => this.#failed(error),
    );
  }

  #arrived(view: Uint8Array | null): void {
    this.#pending = undefined;
    if (view === null) {
      this.#eof = true;
      this.#resolveEnded?.();
      this.#wake("eof");
      this.#ended$();
      return;
    }
    // A stream read may hand back other memory than the buffer.
    if (view.buffer !== this.#buffer.buffer) this.#buffer = new Uint8Array(view.buffer);
    this.#chunk = view;
    this.#filled = view.length === this.#buffer.length;
    if (view.length > 0) this.#wake("data");
    else if (this.#resolve !== undefined) this.#startRead();
  }

  #failed(error: unknown): void {
    this.#pending = undefined;
    this.#failure = { error };
    this.#resolveEnded?.();
    this.#wake(error instanceof Error ? error : new Error(String(error)));
    this.#ended$();
  }
}
