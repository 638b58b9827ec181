/**
 * Task 1 grading rules, apart from sockets: the point values, the streaming
 * comparison of the client's decrypted reply, and the random key and
 * plaintext the grading server sends.
 *
 * @module
 */

/**
 * Points for each Task 1 check; 50 in all.
 */
export const POINTS = {
  /** A well-formed header, sent first. */
  header: 10,
  /** Every encrypted packet received (the client replied through the last one). */
  received: 10,
  /** The reply is as long as the plaintext. */
  length: 15,
  /** The reply equals the plaintext. */
  data: 15,
} as const;

/**
 * Points earned on each Task 1 rubric item, keyed as {@linkcode POINTS}.
 *
 * @example
 * ```ts
 * import { ReplyJudge, type RubricPoints } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * // A reply that never came keeps only the header item.
 * const items: RubricPoints = new ReplyJudge(new Uint8Array(5), "tree", 20200000).score().items;
 * assert.deepEqual(items, { header: 10, received: 0, length: 0, data: 0 });
 * ```
 */
export interface RubricPoints {
  /** The header item, out of 10. */
  header: number;
  /** Every encrypted packet received, out of 10. */
  received: number;
  /** The reply's length, out of 15. */
  length: number;
  /** The reply's content, out of 15. */
  data: number;
}

/**
 * The full Task 1 score.
 *
 * @example
 * ```ts
 * import { MAX_SCORE, POINTS } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * // The rubric's items add up to the full score.
 * assert.equal(Object.values(POINTS).reduce((sum, points) => sum + points, 0), MAX_SCORE);
 * ```
 */
export const MAX_SCORE = 50;

/**
 * Compares a reply with the expected plaintext as it streams in, holding no
 * copy of the reply: it counts bytes and remembers the first difference.
 *
 * @example
 * ```ts
 * import { ReplyChecker } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const checker = new ReplyChecker(new TextEncoder().encode("hello"));
 * checker.push(new TextEncoder().encode("he"));
 * checker.push(new TextEncoder().encode("llo"));
 * assert.equal(checker.lengthMatches, true);
 * assert.equal(checker.dataMatches, true);
 *
 * const wrong = new ReplyChecker(new TextEncoder().encode("hello"));
 * wrong.push(new TextEncoder().encode("help"));
 * assert.equal(wrong.lengthMatches, false);
 * assert.equal(wrong.mismatch(), "first difference at byte 3: got 0x70, expected 0x6c");
 * ```
 */
export class ReplyChecker {
  readonly #expected: Uint8Array;
  #received = 0;
  #firstDifference: number | undefined;
  #gotByte = 0;

  /** Starts a comparison against `expected`. */
  constructor(expected: Uint8Array) {
    this.#expected = expected;
  }

  /** Feeds the next piece of the reply. */
  push(data: Uint8Array): void {
    if (this.#firstDifference === undefined) {
      const expected = this.#expected;
      const start = this.#received;
      const end = Math.max(0, Math.min(data.length, expected.length - start));
      const at = firstDifference(data, expected.subarray(start, start + end), end);
      if (at !== -1) {
        this.#firstDifference = start + at;
        this.#gotByte = data[at]!;
      }
    }
    this.#received += data.length;
  }

  /** Bytes of reply received so far. */
  get received(): number {
    return this.#received;
  }

  /** Bytes expected in all. */
  get expected(): number {
    return this.#expected.length;
  }

  /** Offset of the first reply byte that differs from the plaintext, if one does. */
  get firstDifference(): number | undefined {
    return this.#firstDifference;
  }

  /** True when the reply so far is exactly as long as the plaintext. */
  get lengthMatches(): boolean {
    return this.#received === this.#expected.length;
  }

  /** True when the reply so far equals the plaintext. */
  get dataMatches(): boolean {
    return this.lengthMatches && this.#firstDifference === undefined;
  }

  /**
   * Says where the reply first differs from the plaintext: a differing byte,
   * or the point where one of them ends. `undefined` when they are equal.
   */
  mismatch(): string | undefined {
    const at = this.#firstDifference;
    if (at !== undefined) {
      const expected = hex8(this.#expected[at]!);
      return `first difference at byte ${at}: got 0x${hex8(this.#gotByte)}, expected 0x${expected}`;
    }
    if (this.#received < this.#expected.length) {
      return `reply ends at byte ${this.#received}, expected ${this.#expected.length} bytes`;
    }
    if (this.#received > this.#expected.length) {
      return `reply has ${this.#received} bytes, expected ${this.#expected.length}`;
    }
    return undefined;
  }
}

/**
 * Index of the first of `length` bytes where `a` and `b` differ, or -1.
 * Compares 32-bit words while both views are 4-byte aligned.
 */
function firstDifference(a: Uint8Array, b: Uint8Array, length: number): number {
  let i = 0;
  if (((a.byteOffset | b.byteOffset) & 3) === 0 && length >= 16) {
    const count = length >>> 2;
    const wa = new Uint32Array(a.buffer, a.byteOffset, count);
    const wb = new Uint32Array(b.buffer, b.byteOffset, count);
    let w = 0;
    while (w < count && wa[w] === wb[w]) w++;
    i = w << 2; // the byte loop below finds the byte inside a differing word
  }
  for (; i < length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function hex8(value: number): string {
  return value.toString(16).padStart(2, "0");
}

const LOWERCASE = "abcdefghijklmnopqrstuvwxyz";

/**
 * A random key: 4 lowercase letters, like the course's `tree`.
 *
 * @example
 * ```ts
 * import { randomKey } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * assert.match(randomKey(), /^[a-z]{4}$/);
 * ```
 */
export function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return [...bytes].map((b) => LOWERCASE[b % 26]).join("");
}

/**
 * Random printable ASCII text (bytes 0x20 to 0x7e) of `size` bytes.
 *
 * @example
 * ```ts
 * import { randomPlaintext } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const text = randomPlaintext(1000);
 * assert.equal(text.length, 1000);
 * assert.ok(text.every((b) => b >= 0x20 && b <= 0x7e));
 * ```
 */
export function randomPlaintext(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let offset = 0; offset < size; offset += 65_536) {
    crypto.getRandomValues(bytes.subarray(offset, offset + 65_536));
  }
  for (let i = 0; i < size; i++) bytes[i] = PRINTABLE[bytes[i]!]!;
  return bytes;
}

/** Byte b to 0x20 + b mod 95: a random byte to a printable character. */
const PRINTABLE = Uint8Array.from({ length: 256 }, (_, b) => 0x20 + (b % 95));

/**
 * How the message of a result packet starts when the grading server cut the
 * session because it is shutting down (nothing was stored).
 *
 * @example
 * ```ts no-assert
 * import { SHUTDOWN_PREFIX } from "@cs341/practice2/task1";
 *
 * const message = `${SHUTDOWN_PREFIX} try again in a minute`;
 * console.log(message);
 * ```
 */
export const SHUTDOWN_PREFIX = "SERVER SHUTTING DOWN:";
