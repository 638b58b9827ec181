/**
 * Word counting for Task 2's FILE request, one chunk at a time, so a body is
 * counted as it streams in and never held whole.
 *
 * A word is a maximal run of bytes that are not ASCII whitespace; whitespace
 * is space, `\t`, `\n`, `\v`, `\f` and `\r`, the bytes `wc -w` separates
 * words at in the C locale. Every other byte, non-ASCII included, belongs to
 * a word.
 *
 * @module
 */

/**
 * Whether `byte` is ASCII whitespace: 0x20 or 0x09-0x0d. Internal to Task 2
 * (the framing skips the same whitespace); tested in `word_count_test.ts`.
 */
export function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

// 1 for a byte that belongs to a word, 0 for ASCII whitespace.
const WORD_BYTE = Uint8Array.from({ length: 256 }, (_, byte) => isAsciiSpace(byte) ? 0 : 1);

/**
 * Counts words across chunks: a word split between two chunks counts once.
 *
 * @example
 * ```ts
 * import { WordCounter } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const counter = new WordCounter();
 * const encoder = new TextEncoder();
 * counter.push(encoder.encode("A B C D E F G H I J "));
 * counter.push(encoder.encode("wo"));
 * counter.push(encoder.encode("rd\n"));
 * assert.equal(counter.count, 11);
 * ```
 */
export class WordCounter {
  #count = 0;
  #inWord = 0;

  /** Counts the words that start in `chunk`. */
  push(chunk: Uint8Array): void {
    // Index loop over a lookup table, without branches: a word starts at
    // every byte that is not space right after one that is (or was).
    const table = WORD_BYTE;
    let count = this.#count;
    let inWord = this.#inWord;
    const length = chunk.length;
    for (let i = 0; i < length; i++) {
      const word = table[chunk[i]!]!;
      count += word & (inWord ^ 1);
      inWord = word;
    }
    this.#count = count;
    this.#inWord = inWord;
  }

  /** Words seen so far. */
  get count(): number {
    return this.#count;
  }
}

/**
 * Counts the words in a whole text: bytes, or a string encoded as UTF-8.
 *
 * @example
 * ```ts
 * import { countWords } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(countWords(""), 0);
 * assert.equal(countWords("  two\t\twords \r\n"), 2);
 * ```
 */
export function countWords(text: Uint8Array | string): number {
  const counter = new WordCounter();
  counter.push(typeof text === "string" ? new TextEncoder().encode(text) : text);
  return counter.count;
}
