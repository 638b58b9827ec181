/**
 * One Task 2 conversation, from the client's name to COMPLETE: handshake,
 * then FIBONACCI, FACTORIAL and FILE (or WORD_COUNT) requests answered as
 * `answer_uuid`. Bad input gets `ERROR message_uuid` and the conversation
 * goes on; a timeout gets the same reply, then the connection closes.
 *
 * @module
 */

import { ByteSource } from "../../net/byte_source.ts";
import { clientUuid } from "../protocol/client_uuid.ts";
import {
  type ComputeSessionOptions,
  computeSessionSettings,
  type ComputeSettings,
} from "./compute_options.ts";
import { RequestError } from "../protocol/errors.ts";
import { describeError, TimeoutError, TruncatedError } from "../../net/errors.ts";

import { closeQuietly, Deadline, now } from "../../net/deadline.ts";
import { formatAddress } from "../../net/listener.ts";
import type { Logger } from "../../net/logger.ts";
import { type Keyword, RequestReader } from "./request_reader.ts";
import { showBytes, showText } from "../../net/peer_text.ts";
import { WordCounter } from "../compute/word_count.ts";
import { PoolBusyError } from "../compute/compute_pool.ts";
import { writeAll } from "../../net/write_all.ts";

/**
 * The largest FILE body the server accepts: 64 MiB.
 */
export const FILE_LENGTH_LIMIT = 64 * 1024 * 1024;

/**
 * The longest client name the server accepts, in bytes.
 *
 * @example
 * ```ts no-assert
 * import { NAME_LIMIT } from "@cs341/practice2/task2";
 *
 * console.log(`a name longer than ${NAME_LIMIT} bytes is refused`);
 * ```
 */
export const NAME_LIMIT = 256;

/** How a session ended. */
export type SessionEnd = "complete" | "closed" | "timeout" | "error";

const encoder = new TextEncoder();

/** Shortens a long reply for a trace line. */
function brief(text: string): string {
  return text.length <= 80 ? showText(text) : `${showText(text.slice(0, 40))}... (${text.length})`;
}

/** Where a session reports besides its log, and what stops it. */
export interface SessionHooks {
  /** The server's own faults (a computation that failed); default the log. */
  fault?: Logger | undefined;
  /** Aborted when the server shuts down (and closes the connection). */
  shutdown?: AbortSignal | undefined;
}

/**
 * Serves one connection until COMPLETE, end of stream, a timeout or a
 * connection error, and says which. It never throws for anything the peer
 * does; it does not close `conn` (the caller does). Lines go to `logger`,
 * except the server's own faults (a computation that failed other than by
 * the client's fault), which go to `hooks.fault` (default `logger`).
 * `options` are read once per options object (a server passes the same
 * one to every session): change a copy, not the object, between sessions.
 *
 * @example
 * ```ts
 * import { serveComputeSession } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * using client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * using server = await listener.accept();
 * const session = serveComputeSession(server, { gapMs: 20, timeoutMs: 5000 }, (l) => lines.push(l));
 * const reader = client.readable.getReader();
 * const next = async () => new TextDecoder().decode((await reader.read()).value);
 * await client.write(new TextEncoder().encode("Client1"));
 * assert.equal(await next(), "f97e575c28d536b49170f3cbaef757af");
 * await client.write(new TextEncoder().encode("FIBONACCI 7"));
 * assert.equal(await next(), "13_f97e575c28d536b49170f3cbaef757af");
 * await client.write(new TextEncoder().encode("COMPLETE"));
 * assert.equal(await session, "complete");
 * reader.releaseLock();
 * assert.match(lines[1]!, /Fibonacci request from client, fib of 7$/);
 * ```
 */
export function serveComputeSession(
  conn: Deno.TcpConn,
  options: ComputeSessionOptions,
  logger: Logger,
  hooks: SessionHooks = {},
): Promise<SessionEnd> {
  let session: ComputeSession;
  try {
    session = new ComputeSession(conn, options, logger, hooks);
  } catch (error) {
    // As from an async function: a failure rejects, it never throws, so a
    // caller's `.then` bookkeeping always runs.
    return Promise.reject(error);
  }
  return session.run();
}

/**
 * The two callbacks a server chains on each {@linkcode serveComputeSession}
 * to learn how it ended: `ended(true)` after COMPLETE, `ended(false)` for
 * any other end or a failure (which is passed on). Made once per server and
 * shared, so a session adds no async frame or closure of its own.
 */
export function sessionEndCallbacks(
  ended: (complete: boolean) => void,
): [onEnd: (end: SessionEnd) => void, onFailure: (error: unknown) => never] {
  return [
    (end) => ended(end === "complete"),
    (error) => {
      ended(false);
      throw error;
    },
  ];
}

const noop = () => {};

// Settings per options object, made once: a server passes the same one to
// every session.
const settingsOf = new WeakMap<ComputeSessionOptions, ComputeSettings>();

/**
 * Sessions told about a shutdown, per signal: one listener per signal
 * instead of one (with its options and closure) per idle session.
 */
const listening = new WeakMap<AbortSignal, Set<ComputeSession>>();

function onShutdown(signal: AbortSignal, session: ComputeSession): void {
  let sessions = listening.get(signal);
  if (sessions === undefined) {
    const set = sessions = new Set();
    listening.set(signal, set);
    signal.addEventListener("abort", () => {
      for (const session of set) session.goodbye();
    }, { once: true });
  }
  sessions.add(session);
}

/**
 * One conversation's state. A class, not closures: a thousand idle
 * sessions hold one object each, with no function per session.
 */
class ComputeSession {
  readonly conn: Deno.TcpConn;
  readonly settings: ComputeSettings;
  readonly logger: Logger;
  readonly faultLogger: Logger;
  readonly shutdown: AbortSignal | undefined;
  readonly peer: string;
  readonly started = performance.now();
  // One timer for reads and writes, which never overlap.
  readonly timer = new Deadline(noop);
  readonly source: ByteSource;
  readonly reader: RequestReader;
  uuid = "";
  sending = false;
  saidGoodbye = false;
  writeTimedOut = false;
  /** Aborts when the client has gone away; made on the first computation. */
  gone: AbortController | undefined;

  constructor(
    conn: Deno.TcpConn,
    options: ComputeSessionOptions,
    logger: Logger,
    hooks: SessionHooks,
  ) {
    let settings = settingsOf.get(options);
    if (settings === undefined) settingsOf.set(options, settings = computeSessionSettings(options));
    this.conn = conn;
    this.settings = settings;
    this.logger = logger;
    this.faultLogger = hooks.fault ?? logger;
    this.shutdown = hooks.shutdown;
    // Replies are small single writes: never hold one back for an ACK.
    conn.setNoDelay(true);
    this.peer = formatAddress(conn.remoteAddr);
    this.source = new ByteSource(conn, {
      initialSize: 512,
      maxSize: 256 * 1024,
      timer: this.timer,
    });
    this.reader = new RequestReader(this.source, {
      gapMs: settings.gapMs,
      idleMs: settings.timeoutMs,
      framing: settings.framing,
      deadline: now() + settings.sessionLimitMs,
    });
  }

  log(line: string): void {
    this.logger(`[${this.peer}] ${line}`);
  }

  /** The server's own faults, which `--quiet` does not mute. */
  fault(line: string): void {
    this.faultLogger(`[${this.peer}] ${line}`);
  }

  trace(line: string): void {
    const ms = (performance.now() - this.started).toFixed(1);
    this.settings.trace?.(`[${this.peer}] +${ms}ms ${line}`);
  }

  get tracing(): boolean {
    return this.settings.trace !== undefined;
  }

  async send(text: string): Promise<void> {
    const { conn, timer, settings } = this;
    if (this.tracing) this.trace(`-> ${brief(text)}`);
    timer.set(settings.timeoutMs, () => {
      this.writeTimedOut = true;
      closeQuietly(conn);
    });
    try {
      await writeAll(conn, encoder.encode(text));
    } catch (error) {
      if (!this.writeTimedOut) throw error;
      throw new TimeoutError(
        `Timed out after ${settings.timeoutMs} ms waiting for the client to take the reply`,
        { cause: error },
      );
    } finally {
      timer.disarm(); // the next read sets it again
    }
  }

  sendQuietly(text: string): Promise<void> {
    return this.send(text).catch(() => {});
  }

  /**
   * On shutdown the client is told in one ERROR line, then the connection
   * is closed (which ends the pending read); a reply being written first
   * goes out whole.
   */
  goodbye(): void {
    if (this.saidGoodbye || this.sending) return;
    this.saidGoodbye = true;
    const suffix = this.uuid === "" ? "" : `_${this.uuid}`;
    void this.sendQuietly(`ERROR Server shutting down; connection closed, try again later${suffix}`)
      .finally(() => closeQuietly(this.conn));
  }

  async sendReply(text: string): Promise<void> {
    this.sending = true;
    try {
      await this.send(text);
    } finally {
      this.sending = false;
      if (this.shutdown?.aborted) this.goodbye();
    }
  }

  async run(): Promise<SessionEnd> {
    const { reader, shutdown } = this;
    if (shutdown !== undefined) onShutdown(shutdown, this);
    try {
      if (!await this.#greet()) return "closed";
      for (;;) {
        // Between requests only this frame waits (an idle session holds less).
        let keyword: Keyword | null;
        try {
          keyword = await reader.readKeyword();
        } catch (error) {
          if (!(error instanceof RequestError)) throw error;
          await this.#refuse(error);
          continue;
        }
        if (keyword === null) {
          this.log("Client closed the connection without COMPLETE");
          return "closed";
        }
        if (this.tracing) this.trace(`<- ${keyword}`);
        if (keyword === "COMPLETE") {
          this.log("Complete request from client, closing connection");
          return "complete";
        }
        await this.#answer(keyword);
      }
    } catch (error) {
      const suffix = this.uuid === "" ? "" : `_${this.uuid}`;
      if (error instanceof RequestError) {
        this.log(`Bad request: ${error.message}; closing connection`);
        await this.sendQuietly(`ERROR ${error.message}${suffix}`);
        return "error";
      }
      if (error instanceof TimeoutError) {
        this.log(`${error.message}; closing connection`);
        if (!this.writeTimedOut) await this.sendQuietly(`ERROR ${error.message}${suffix}`);
        return "timeout";
      }
      if (error instanceof TruncatedError) {
        this.log(error.message);
        return "closed";
      }
      if (shutdown?.aborted) {
        this.log("Server shutting down; told the client, connection closed");
        return "closed";
      }
      this.log(`Connection error: ${describeError(error)}`);
      return "error";
    } finally {
      if (shutdown !== undefined) listening.get(shutdown)?.delete(this);
      this.source[Symbol.dispose]();
      this.timer[Symbol.dispose]();
    }
  }

  /** Reads the client's name and answers its UUID; false if it left first. */
  async #greet(): Promise<boolean> {
    const name = await this.reader.readName(NAME_LIMIT);
    if (name === null) {
      this.log("Connection closed before the client sent its name");
      return false;
    }
    if (this.tracing) this.trace(`<- ${showBytes(name)}`);
    this.uuid = clientUuid(name);
    this.log(`Client name is: ${showBytes(name)}`);
    await this.sendReply(this.uuid);
    return true;
  }

  /** Answers one request whose keyword has been read. */
  async #answer(keyword: Exclude<Keyword, "COMPLETE">): Promise<void> {
    try {
      const answered = await answer(this, keyword);
      if (answered.status === "answered") {
        // The reply goes out first, the log line after: a client never
        // waits on the log.
        await this.sendReply(`${answered.value}_${this.uuid}`);
        this.log(answered.line);
      } else {
        // A server-side failure was logged as a fault already.
        if (answered.status === "refused") this.log(`Bad request: ${answered.message}`);
        await this.sendReply(`ERROR ${answered.message}_${this.uuid}`);
      }
    } catch (error) {
      if (!(error instanceof RequestError)) throw error;
      await this.#refuse(error);
    }
  }

  /** Answers a bad request with ERROR, once the rest of it is dropped. */
  async #refuse(error: RequestError): Promise<void> {
    this.log(`Bad request: ${error.message}`);
    await this.reader.discardBurst(); // the rest of it, such as a refused FILE body
    await this.sendReply(`ERROR ${error.message}_${this.uuid}`);
  }
}

/**
 * How a whole request was answered: with its value; refused by the
 * computation (n over the limit); or failed on the server's side (busy
 * pool, worker crash), which is logged as a fault. In each case no byte of
 * the request is left to drop.
 */
type Answered =
  | { status: "answered"; value: string; line: string }
  | { status: "refused" | "server failure"; message: string };

async function answer(
  context: ComputeSession,
  keyword: Exclude<Keyword, "COMPLETE">,
): Promise<Answered> {
  const { reader, settings } = context;
  const trace = context.tracing ? (line: string) => context.trace(line) : undefined;
  if (keyword === "FIBONACCI" || keyword === "FACTORIAL") {
    const n = await reader.readNumber(`${keyword} n`);
    trace?.(`<- ${n}`);
    // Notice the client leaving while the value is being computed.
    if (context.gone === undefined) {
      const gone = context.gone = new AbortController();
      context.source.ended.then(() => gone.abort());
    }
    context.source.prefetch();
    const kind = keyword === "FIBONACCI" ? "fibonacci" : "factorial";
    let value: string;
    try {
      const limit = kind === "fibonacci" ? settings.fibonacciLimit : settings.factorialLimit;
      value = await settings.compute({ kind, n, limit }, context.gone.signal);
    } catch (error) {
      if (error instanceof RequestError) return { status: "refused", message: error.message };
      if (context.gone.signal.aborted) {
        throw new TruncatedError("Client left during the computation", { cause: error });
      }
      const message = `${keyword} ${n} failed: ${describeError(error)}`;
      // A full queue is load, not a fault: an ordinary line, muted by --quiet.
      if (error instanceof PoolBusyError) context.log(`Busy: ${message}`);
      else context.fault(`Server error: ${message}`);
      return { status: "server failure", message };
    }
    const line = kind === "fibonacci"
      ? `Fibonacci request from client, fib of ${n}`
      : `Factorial request from client, fact of ${n}`;
    return { status: "answered", value, line };
  }
  const length = await reader.readNumber(`${keyword} length`);
  trace?.(`<- ${length}`);
  if (length > FILE_LENGTH_LIMIT) {
    throw new RequestError(
      `${keyword} length must be at most ${FILE_LENGTH_LIMIT} bytes (64 MiB), got ${length}`,
    );
  }
  const counter = new WordCounter();
  let head: Uint8Array | undefined;
  await reader.readBody(length, (chunk) => {
    if (trace !== undefined && head === undefined) head = chunk.slice(0, 32);
    counter.push(chunk);
  });
  trace?.(`<- body of ${length} bytes, from |${showBytes(head ?? [])}|`);
  const line = `File request from client, words in file are ${counter.count}`;
  return { status: "answered", value: String(counter.count), line };
}
