/**
 * The soak's well-formed Task 2 client: its name, the UUID, two requests of
 * each kind in random order with their answers checked, and `COMPLETE`,
 * each message a separate write as the course's client sent them. The
 * expected answers come from plain loops here, not from the library.
 *
 * @module
 */

import { clientUuid } from "@cs341/practice2/task2";
import { type ConnScope, SoakConn } from "./soak_conn.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { SoakError } from "./soak_report.ts";

/** One planned request and the answer it must get. */
export interface Task2Request {
  keyword: "FIBONACCI" | "FACTORIAL" | "FILE";
  /** n, or the FILE body's length. */
  number: number;
  /** The FILE body. */
  body?: Uint8Array;
  /** The exact answer before `_uuid`. */
  expected: string;
}

/** F(n) in decimal, by n additions (F(0) = 0, F(1) = 1). */
export function fibonacciText(n: number): string {
  let [a, b] = [0n, 1n];
  for (let i = 0; i < n; i++) [a, b] = [b, a + b];
  return a.toString();
}

/** n! in decimal, by n multiplications (0! = 1). */
export function factorialText(n: number): string {
  let product = 1n;
  for (let i = 2n; i <= BigInt(n); i++) product *= i;
  return product.toString();
}

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?";
const SPACES = [0x20, 0x20, 0x20, 0x20, 0x0a, 0x09];

/**
 * About `size` bytes of words (1 to 12 printable ASCII characters) with
 * spaces, newlines and tabs between them, never starting with a digit or
 * whitespace (so no reading of the FILE length can swallow its first
 * bytes), and how many words it holds.
 */
export function wordsBody(size: number, random: () => number): { body: Uint8Array; words: number } {
  const bytes: number[] = [];
  let words = 0;
  while (bytes.length < Math.max(1, size)) {
    if (words > 0) bytes.push(SPACES[Math.floor(random() * SPACES.length)]!);
    const length = 1 + Math.floor(random() * 12);
    for (let i = 0; i < length; i++) {
      // The first character of the body is a letter.
      const range = bytes.length === 0 ? 52 : LETTERS.length;
      bytes.push(LETTERS.charCodeAt(Math.floor(random() * range)));
    }
    words++;
  }
  return { body: Uint8Array.from(bytes), words };
}

/**
 * Two requests of each kind in random order: n from 0 to 90 (Fibonacci)
 * and 0 to 60 (factorial), FILE bodies of 1 byte to `maxFileBytes`
 * (log-uniform, so small and large are equally common).
 */
export function planTask2(random: () => number, maxFileBytes = 32 * 1024): Task2Request[] {
  const requests: Task2Request[] = [];
  for (let i = 0; i < 2; i++) {
    const fib = Math.floor(random() * 91);
    requests.push({ keyword: "FIBONACCI", number: fib, expected: fibonacciText(fib) });
    const fact = Math.floor(random() * 61);
    requests.push({ keyword: "FACTORIAL", number: fact, expected: factorialText(fact) });
    const size = Math.round(Math.exp(random() * Math.log(maxFileBytes)));
    const { body, words } = wordsBody(size, random);
    requests.push({ keyword: "FILE", number: body.length, body, expected: String(words) });
  }
  for (let i = requests.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [requests[i], requests[j]] = [requests[j]!, requests[i]!];
  }
  return requests;
}

/** Timing of a soak Task 2 client. */
export interface Task2Timing {
  /** Pause between a keyword and its number, ms. */
  pauseMs: number;
  /** Pause after a FILE length before its body, ms (longer than the server's gap). */
  bodyPauseMs: number;
  /** Longest wait for one read or write, ms. */
  timeoutMs: number;
}

/**
 * Connects, sends `name`, checks the UUID is `uuid3(NAMESPACE_DNS, name)`,
 * waits for `ready()` (all clients connected), runs `requests`, sends
 * `COMPLETE` and waits for the server to close. Throws a `SoakError`.
 */
export async function runTask2Client(
  port: number,
  name: string,
  requests: readonly Task2Request[],
  timing: Task2Timing,
  scope: ConnScope,
  ready: () => Promise<void> = () => Promise.resolve(),
): Promise<void> {
  const { timeoutMs } = timing;
  using conn = await SoakConn.open(port, scope, timeoutMs);
  await conn.write(name, timeoutMs);
  const uuid = await conn.readUntil((t) => t.length >= 32, timeoutMs, "waiting for the UUID", 64);
  if (uuid !== clientUuid(name)) {
    throw new SoakError("bad-uuid", `name ${name}: got '${uuid}', expected ${clientUuid(name)}`);
  }
  await ready();
  const suffix = `_${uuid}`;
  for (const request of requests) {
    await conn.write(request.keyword, timeoutMs);
    await sleep(timing.pauseMs);
    await conn.write(String(request.number), timeoutMs);
    if (request.body) {
      await sleep(timing.bodyPauseMs);
      await conn.write(request.body, timeoutMs);
    }
    const what = `waiting for the ${request.keyword} ${request.number} reply`;
    const reply = await conn.readUntil((t) => t.endsWith(suffix), timeoutMs, what, 64 * 1024);
    const answer = reply.slice(0, -suffix.length);
    if (answer.startsWith("ERROR")) {
      throw new SoakError("error-reply", `${request.keyword} ${request.number}: '${answer}'`);
    }
    if (answer !== request.expected) {
      throw new SoakError(
        "wrong-answer",
        `${request.keyword} ${request.number}: expected ${request.expected}, got '${answer}'`,
      );
    }
  }
  await conn.write("COMPLETE", timeoutMs);
  const end = await conn.drain(timeoutMs, 256);
  if (conn.aborted) throw new SoakError("unfinished", "stopped at the time limit after COMPLETE");
  if (end.total > 0 || end.end !== "closed") {
    throw new SoakError(
      end.end === "open" ? "not-closed" : end.end === "reset" ? "reset" : "wrong-answer",
      `after COMPLETE: ${end.total} bytes, connection ${end.end}`,
    );
  }
}
