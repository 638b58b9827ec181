/**
 * What the Task 2 test client sends: per connection, two requests of each
 * type in random order, each with the answer it expects, and the ways the
 * client can cut its messages into writes.
 *
 * @module
 */

import { factorial, fibonacci } from "../compute/compute.ts";

/**
 * A request type, named as the test client's log names it.
 *
 * @example
 * ```ts
 * import { planRequests, type RequestType } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const types: RequestType[] = planRequests({ maxFileBytes: 100 }).map((r) => r.type);
 * assert.ok(types.includes("WORD_COUNT")); // sent as FILE on the wire
 * ```
 */
export type RequestType = "FIBONACCI" | "FACTORIAL" | "WORD_COUNT";

/**
 * One request: the messages to send, in order, with a pause between them,
 * and the answer expected before `_uuid`.
 */
export interface TestRequest {
  /** Which of the three scored types. */
  type: RequestType;
  /** A short description for failure lines, such as `FIBONACCI 7` or `FILE (WORD_COUNT) of 19 bytes`. */
  label: string;
  /** Keyword, then the number or the FILE length, then the FILE body. */
  messages: string[];
  /** The correct answer, such as `13`. */
  expected: string;
}

/**
 * How the client cuts messages into writes: `paused`, the course's way
 * (every message one write, a pause between); `bytewise` (as `paused`, but
 * keywords and bodies sent one byte per write; the client's name and every
 * number still go in one write each, since the documented framing may end a
 * name or number at a write boundary or a pause); `coalesced` (keyword and number
 * or length in one write, then a pause and the body); `single` (the whole
 * request in one write, no pause).
 *
 * @example
 * ```ts no-assert
 * import { WRITE_MODES } from "@cs341/practice2/task2";
 *
 * console.log(`requests are written in one of these ways: ${WRITE_MODES.join(", ")}`);
 * ```
 */
export const WRITE_MODES = ["paused", "bytewise", "coalesced", "single"] as const;

/**
 * One of {@linkcode WRITE_MODES}.
 */
export type WriteMode = typeof WRITE_MODES[number];

/**
 * How {@linkcode planRequests} draws requests.
 *
 * @example
 * ```ts
 * import { type PlanOptions, planRequests } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const options: PlanOptions = { perType: 1, maxN: 5, maxFileBytes: 50 };
 * assert.equal(planRequests(options).length, 3);
 * ```
 */
export interface PlanOptions {
  /** Uniform numbers in [0, 1); default `Math.random`. */
  random?: () => number;
  /** Requests of each type; default 2. */
  perType?: number;
  /** The smallest n for FIBONACCI and FACTORIAL; default 1. */
  minN?: number;
  /**
   * The largest n for FIBONACCI and FACTORIAL; default 9. The course's
   * client sent single digits, and servers written for it often read n with
   * a one-byte `recv`.
   */
  maxN?: number;
  /**
   * The largest FILE body in bytes; default {@linkcode COURSE_FILE_BYTES},
   * the course's size (servers written for it often read the body with one
   * `recv(1024)`).
   */
  maxFileBytes?: number;
}

/**
 * The largest FILE body the course-faithful run sends: under 1 KB.
 *
 * @example
 * ```ts no-assert
 * import { COURSE_FILE_BYTES } from "@cs341/practice2/task2";
 *
 * console.log(`the course's FILE bodies are at most ${COURSE_FILE_BYTES} bytes`);
 * ```
 */
export const COURSE_FILE_BYTES = 1000;

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * Random words of 1 to 10 letters joined by single spaces, like the
 * course's `A B C D E F G H I J`: as long as fits in `bytes` (at least one
 * one-letter word), with the number of words.
 *
 * @example
 * ```ts
 * import { randomText } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const { text, words } = randomText(1000, Math.random);
 * assert.equal(text.split(" ").length, words);
 * assert.ok(text.length > 990 && text.length <= 1000);
 * ```
 */
export function randomText(bytes: number, random: () => number): { text: string; words: number } {
  const parts: string[] = [];
  let length = -1;
  while (length + 2 <= bytes || parts.length === 0) {
    // The next word gets a separator; it fits in what is left, or is cut short.
    const room = Math.max(1, bytes - length - 1);
    const size = Math.min(room, 1 + Math.floor(random() * 10));
    let word = "";
    for (let i = 0; i < size; i++) word += LETTERS[Math.floor(random() * LETTERS.length)];
    parts.push(word);
    length += word.length + 1;
  }
  return { text: parts.join(" "), words: parts.length };
}

function draw(type: RequestType, options: PlanOptions): TestRequest {
  const random = options.random ?? Math.random;
  if (type === "WORD_COUNT") {
    // Log-uniform: as many tiny files as large ones.
    const max = Math.max(1, options.maxFileBytes ?? COURSE_FILE_BYTES);
    const target = Math.floor(Math.exp(random() * Math.log(max)));
    const { text, words } = randomText(Math.min(target, max), random);
    return {
      type,
      // The course's client logs WORD_COUNT but sends FILE: the label says both.
      label: `FILE (WORD_COUNT) of ${text.length} byte${text.length === 1 ? "" : "s"}`,
      messages: ["FILE", String(text.length), text],
      expected: String(words),
    };
  }
  const minN = options.minN ?? 1;
  const n = minN + Math.floor(random() * ((options.maxN ?? 9) - minN + 1));
  const value = type === "FIBONACCI" ? fibonacci(n) : factorial(n);
  return { type, label: `${type} ${n}`, messages: [type, String(n)], expected: value.toString() };
}

/**
 * Draws one connection's requests: `perType` of each type, shuffled.
 *
 * @example
 * ```ts
 * import { planRequests } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const plan = planRequests({ maxFileBytes: 100 });
 * assert.equal(plan.length, 6);
 * assert.equal(plan.filter((request) => request.type === "FACTORIAL").length, 2);
 * ```
 */
export function planRequests(options: PlanOptions = {}): TestRequest[] {
  const random = options.random ?? Math.random;
  const plan: TestRequest[] = [];
  for (const type of ["FIBONACCI", "FACTORIAL", "WORD_COUNT"] as const) {
    for (let i = 0; i < (options.perType ?? 2); i++) plan.push(draw(type, options));
  }
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }
  return plan;
}

/**
 * Groups a request's messages into writes for `mode`: the outer list is
 * separated by pauses, the inner one is written back to back.
 *
 * @example
 * ```ts
 * import { splitWrites } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const text = (writes: Uint8Array[][]) =>
 *   writes.map((group) => group.map((bytes) => new TextDecoder().decode(bytes)));
 * assert.deepEqual(text(splitWrites(["FILE", "3", "a b"], "paused")), [["FILE"], ["3"], ["a b"]]);
 * assert.deepEqual(text(splitWrites(["FILE", "3", "a b"], "coalesced")), [["FILE3"], ["a b"]]);
 * assert.deepEqual(text(splitWrites(["FILE", "12", "a"], "bytewise")), [["F", "I", "L", "E"], ["12"], ["a"]]);
 * assert.deepEqual(text(splitWrites(["FILE", "3", "a b"], "single")), [["FILE3a b"]]);
 * ```
 */
export function splitWrites(messages: readonly string[], mode: WriteMode): Uint8Array[][] {
  const encoder = new TextEncoder();
  const groups = mode === "single"
    ? [messages.join("")]
    : mode === "coalesced" && messages.length >= 2
    ? [messages[0]! + messages[1]!, ...messages.slice(2)]
    : [...messages];
  return groups.map((message) => {
    const bytes = encoder.encode(message);
    // Numbers stay whole: a pause inside one is read as its end (docs/protocol.md, Framing).
    if (mode !== "bytewise" || /^[0-9]+$/.test(message)) return [bytes];
    return Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
  });
}
