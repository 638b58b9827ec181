/**
 * The soak's clients (bench/soak.ts): its connection (the test suite's raw
 * Task 2 client, counted and with failures sorted by kind), the well-formed
 * Task 2 client (name, UUID, two requests of each kind in random order with
 * their answers checked, `COMPLETE`, each message a separate write as the
 * course's client sent them; expected answers from plain loops, not from
 * the library), the well-formed Task 1 session (the library's
 * `runDecryptClient`, `test` or `sbmt`, per packet or re-chunked, 50/50
 * checked), pure descriptions of how a malformed client's connection
 * ended, the failure kinds and their tally, and the seeded random source.
 *
 * @module
 */

import {
  decodeHeader,
  HEADER_SIZE,
  isResultKeyword,
  runDecryptClient,
} from "@cs341/practice2/task1";
import { clientUuid } from "@cs341/practice2/task2";
import { ConnectionError, ProtocolError, TimeoutError, TruncatedError } from "@cs341/practice2/net";
import { setTimeout as sleep } from "node:timers/promises";
import { type DrainEnd, type RawPeer, rawPeer } from "../tests/helpers/task2_peer.ts";
import { factorialInOrder, fibonacciByAdding, xorshift } from "./fixtures.ts";
import { showText } from "@cs341/practice2/net";

/** The kinds of failure a well-formed client can meet. */
export type ErrorKind =
  | "connect"
  | "timeout"
  | "closed"
  | "reset"
  | "io"
  | "bad-uuid"
  | "wrong-answer"
  | "error-reply"
  | "not-closed"
  | "bad-score"
  | "not-stored"
  | "protocol"
  | "unfinished";

/** A failure with its kind, thrown by the soak's clients. */
export class SoakError extends Error {
  override name = "SoakError";
  /** What kind of failure it was. */
  readonly kind: ErrorKind;

  /** A `kind` failure described by `message`. */
  constructor(kind: ErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}

/** Counts by label, remembering the first detail seen for each. */
export class Tally {
  readonly #counts = new Map<string, { count: number; example: string }>();

  /** Counts one `label`; the first `detail` per label is kept (escaped, at most 100 chars). */
  add(label: string, detail = ""): void {
    const entry = this.#counts.get(label);
    if (entry) entry.count++;
    else this.#counts.set(label, { count: 1, example: showText(detail).slice(0, 100) });
  }

  /** The sum of all counts. */
  get total(): number {
    let sum = 0;
    for (const { count } of this.#counts.values()) sum += count;
    return sum;
  }

  /** Label, count and example, most frequent first (then by label). */
  entries(): { label: string; count: number; example: string }[] {
    return [...this.#counts].map(([label, entry]) => ({ label, ...entry }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  }
}

/** A seeded random source in [0, 1) (fixtures.ts's xorshift32), so a run can be repeated. */
export function seededRandom(seed: number): () => number {
  const next = xorshift(seed);
  return () => next() / 4294967296;
}

/** A count of things open now and the most ever open at once. */
export class Gauge {
  /** Open now. */
  now = 0;
  /** Most open at once. */
  peak = 0;

  /** One more is open. */
  up(): void {
    this.now++;
    if (this.now > this.peak) this.peak = this.now;
  }

  /** One fewer is open. */
  down(): void {
    this.now--;
  }
}

/** The kind of a failure thrown by a {@linkcode RawPeer}, `runDecryptClient` or a socket call. */
export function errorKind(error: unknown): ErrorKind {
  if (error instanceof SoakError) return error.kind;
  if (error instanceof TimeoutError || error instanceof Deno.errors.TimedOut) return "timeout";
  if (error instanceof ConnectionError || error instanceof Deno.errors.ConnectionRefused) {
    return "connect";
  }
  if (error instanceof TruncatedError || error instanceof Deno.errors.UnexpectedEof) {
    return "closed";
  }
  if (error instanceof ProtocolError) return "protocol";
  if (error instanceof RangeError) return "wrong-answer";
  if (error instanceof Deno.errors.ConnectionReset || error instanceof Deno.errors.BrokenPipe) {
    return "reset";
  }
  return "io";
}

/** Every connection open in a run, so that the run's time limit can close them all. */
export class OpenConns {
  readonly #conns = new Set<SoakConn>();
  #stopped = false;

  /** Connections open now. */
  get size(): number {
    return this.#conns.size;
  }

  /** Registers `conn`; closes it at once when the run was already stopped. */
  add(conn: SoakConn): void {
    if (this.#stopped) {
      conn.aborted = true;
      conn.close();
    } else this.#conns.add(conn);
  }

  /** Forgets `conn` (closed). */
  delete(conn: SoakConn): void {
    this.#conns.delete(conn);
  }

  /** Closes every connection, now and from now on. */
  stop(): void {
    this.#stopped = true;
    for (const conn of [...this.#conns]) {
      conn.aborted = true;
      conn.close();
    }
  }
}

/** What a soak connection shares with the rest of its run. */
export interface ConnScope {
  /** Counts this group's open connections. */
  gauge: Gauge;
  /** Every connection open in the run. */
  open: OpenConns;
}

/**
 * One soak client connection: the test suite's {@linkcode RawPeer}, counted
 * in its scope, every failure a {@linkcode SoakError} with its kind.
 */
export class SoakConn implements Disposable {
  readonly #peer: RawPeer;
  readonly #scope: ConnScope;
  #closed = false;
  /** Closed from outside (the run's time limit). */
  aborted = false;

  private constructor(peer: RawPeer, scope: ConnScope) {
    this.#peer = peer;
    this.#scope = scope;
    scope.gauge.up();
  }

  /** Connects to 127.0.0.1:`port` within `timeoutMs`. */
  static async open(port: number, scope: ConnScope, timeoutMs: number): Promise<SoakConn> {
    let peer;
    try {
      peer = await rawPeer(port, "127.0.0.1", timeoutMs);
    } catch (error) {
      throw new SoakError("connect", `connect failed: ${error}`, { cause: error });
    }
    const conn = new SoakConn(peer, scope);
    scope.open.add(conn);
    if (conn.aborted) throw new SoakError("unfinished", "connected after the time limit");
    return conn;
  }

  async #step<T>(what: string, work: Promise<T>): Promise<T> {
    try {
      return await work;
    } catch (error) {
      if (this.aborted) {
        throw new SoakError("unfinished", `stopped at the time limit ${what}`, { cause: error });
      }
      throw new SoakError(errorKind(error), `${what}: ${error}`, { cause: error });
    }
  }

  /** Writes all of `data` (a string as UTF-8) within `timeoutMs`. */
  write(data: string | Uint8Array, timeoutMs: number): Promise<void> {
    return this.#step("writing", this.#peer.send(data, timeoutMs));
  }

  /** Closes the sending side (the server then reads end of stream). */
  closeWrite(): Promise<void> {
    return this.#peer.closeWrite();
  }

  /** Reads the 32-character UUID; `closed` when the server closes first. */
  async uuid(timeoutMs: number): Promise<string> {
    const text = await this.#step("waiting for the UUID", this.#peer.exactly(32, timeoutMs));
    if (text.length < 32) {
      throw new SoakError("closed", `the server closed the connection after '${text}'`);
    }
    return text;
  }

  /**
   * Reads one reply ending in `_uuid` and returns the answer before it:
   * `closed` when the server closes first, `wrong-answer` past `capBytes`
   * or for another UUID.
   */
  async reply(uuid: string, timeoutMs: number, what: string, capBytes = 1 << 20): Promise<string> {
    const text = await this.#step(what, this.#peer.reply(timeoutMs, capBytes));
    if (text.endsWith(`_${uuid}`)) return text.slice(0, -uuid.length - 1);
    const start = `'${text.slice(0, 80)}'`;
    throw /_[0-9a-f]{32}$/.test(text)
      ? new SoakError("wrong-answer", `another UUID ${what}: ${start}`)
      : new SoakError("closed", `the server closed the connection ${what} (after ${start})`);
  }

  /** Reads exactly `count` bytes; `closed` when the server closes first. */
  bytes(count: number, timeoutMs: number, what: string): Promise<Uint8Array> {
    return this.#step(what, this.#peer.bytes(count, timeoutMs));
  }

  /** {@linkcode RawPeer.drain}: what came until the server closed, within `waitMs`. */
  drain(waitMs: number, keepBytes?: number): ReturnType<RawPeer["drain"]> {
    return this.#peer.drain(waitMs, keepBytes);
  }

  /** Closes the connection (once). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#scope.gauge.down();
    this.#scope.open.delete(this);
    this.#peer[Symbol.dispose]();
  }

  /** Same as {@linkcode close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}

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
export const fibonacciText = (n: number): string => fibonacciByAdding(n).toString();

/** n! in decimal, by n multiplications (0! = 1). */
export const factorialText = (n: number): string => factorialInOrder(n).toString();

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
  const uuid = await conn.uuid(timeoutMs);
  if (uuid !== clientUuid(name)) {
    throw new SoakError("bad-uuid", `name ${name}: got '${uuid}', expected ${clientUuid(name)}`);
  }
  await ready();
  for (const request of requests) {
    await conn.write(request.keyword, timeoutMs);
    await sleep(timing.pauseMs);
    await conn.write(String(request.number), timeoutMs);
    if (request.body) {
      await sleep(timing.bodyPauseMs);
      await conn.write(request.body, timeoutMs);
    }
    const what = `waiting for the ${request.keyword} ${request.number} reply`;
    const answer = await conn.reply(uuid, timeoutMs, what, 64 * 1024);
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

/** Session `index`'s student id: 8 digits, distinct per index. */
export function sessionStudentId(index: number): number {
  return 30_000_000 + index;
}

/** Whether session `index` submits (`sbmt`): every `submitEvery`-th one. */
export function sessionSubmits(index: number, submitEvery: number): boolean {
  return submitEvery > 0 && index % submitEvery === submitEvery - 1;
}

/**
 * Runs session `index` against 127.0.0.1:`port`; throws a `SoakError` when
 * it fails or scores under 50.
 */
export async function runTask1Session(
  port: number,
  index: number,
  submit: boolean,
  timeoutMs: number,
): Promise<void> {
  const keyword = submit ? "sbmt" : "test";
  let result;
  try {
    result = await runDecryptClient({
      hostname: "127.0.0.1",
      port,
      studentId: sessionStudentId(index),
      keyword,
      timeoutMs,
      style: index % 2 === 0 ? "per-packet" : "rechunk",
    });
  } catch (error) {
    throw new SoakError(errorKind(error), `${keyword} #${index}: ${error}`, {
      cause: error,
    });
  }
  if (result.keyword !== "GOOD" || result.score !== 50) {
    throw new SoakError(
      "bad-score",
      `${keyword} #${index}: ${result.keyword} ${result.score}: ${result.message}`,
    );
  }
  if (submit && !/REGISTERED/.test(result.message)) {
    throw new SoakError("not-stored", `sbmt #${index}: ${result.message}`);
  }
}

/** How a malformed client ended: a label to count, a detail to show once. */
export interface Outcome {
  label: string;
  detail: string;
}

/** How a connection ended, as seen by `SoakConn.drain`. */
export type End = DrainEnd;

/** Words for an {@linkcode End}. */
export function endLabel(end: End): string {
  switch (end) {
    case "closed":
      return "closed by server";
    case "reset":
      return "reset by server";
    case "open":
      return "still open when we left";
    case "error":
      return "read error";
  }
}

/**
 * What a grading server sent: its result packet (keyword and message), or
 * how many data packets came, or that the bytes are not packets at all.
 */
export function describeTask1Bytes(bytes: Uint8Array, end: End): Outcome {
  let offset = 0;
  let packets = 0;
  while (bytes.length - offset >= HEADER_SIZE) {
    let header;
    try {
      header = decodeHeader(bytes.subarray(offset));
    } catch (error) {
      return { label: `bytes that are not packets, ${endLabel(end)}`, detail: String(error) };
    }
    if (isResultKeyword(header.keyword)) {
      const data = bytes.subarray(offset + HEADER_SIZE, offset + header.length);
      const message = new TextDecoder().decode(data);
      return {
        label: `${header.keyword} packet, ${endLabel(end)}`,
        detail: `${header.keyword} ${header.sid}: ${message}`,
      };
    }
    packets++;
    offset += header.length;
  }
  if (packets > 0) {
    return { label: `data packets, ${endLabel(end)}`, detail: `${packets} data packets` };
  }
  if (bytes.length > 0) {
    return { label: `a partial packet, ${endLabel(end)}`, detail: `${bytes.length} bytes` };
  }
  return { label: endLabel(end), detail: "" };
}

/**
 * What a compute server sent after the handshake (or instead of it): an
 * `ERROR` reply, an answer, or nothing.
 */
export function describeTask2Text(text: string, end: End): Outcome {
  const what = text.length === 0
    ? ""
    : text.startsWith("ERROR")
    ? "ERROR reply, "
    : /^[0-9a-f]{32}$/.test(text)
    ? "UUID, "
    : "other bytes, ";
  return { label: `${what}${endLabel(end)}`, detail: text.slice(0, 200) };
}
