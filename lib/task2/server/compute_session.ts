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
  type ComputeFunction,
  type ComputeSessionOptions,
  computeSessionSettings,
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
export async function serveComputeSession(
  conn: Deno.TcpConn,
  options: ComputeSessionOptions,
  logger: Logger,
  hooks: SessionHooks = {},
): Promise<SessionEnd> {
  const faultLogger = hooks.fault ?? logger;
  const settings = computeSessionSettings(options);
  // Replies are small single writes: never hold one back for an ACK.
  conn.setNoDelay(true);
  const peer = formatAddress(conn.remoteAddr);
  const log = (line: string) => logger(`[${peer}] ${line}`);
  // The server's own faults, which `--quiet` does not mute.
  const fault = (line: string) => faultLogger(`[${peer}] ${line}`);
  const started = performance.now();
  const traceTo = settings.trace;
  const trace = traceTo &&
    ((line: string) => traceTo(`[${peer}] +${(performance.now() - started).toFixed(1)}ms ${line}`));
  // One timer for reads and writes, which never overlap.
  using timer = new Deadline(() => {});
  using source = new ByteSource(conn, { initialSize: 512, maxSize: 256 * 1024, timer });
  const reader = new RequestReader(source, {
    gapMs: settings.gapMs,
    idleMs: settings.timeoutMs,
    framing: settings.framing,
    deadline: now() + settings.sessionLimitMs,
  });
  let writeTimedOut = false;
  const onWriteTimeout = () => {
    writeTimedOut = true;
    closeQuietly(conn);
  };
  const send = async (text: string) => {
    trace?.(`-> ${brief(text)}`);
    timer.set(settings.timeoutMs, onWriteTimeout);
    try {
      await writeAll(conn, encoder.encode(text));
    } catch (error) {
      if (!writeTimedOut) throw error;
      throw new TimeoutError(
        `Timed out after ${settings.timeoutMs} ms waiting for the client to take the reply`,
        { cause: error },
      );
    } finally {
      timer.disarm(); // the next read sets it again
    }
  };
  const sendQuietly = (text: string) => send(text).catch(() => {});
  // On shutdown the client is told in one ERROR line, then the connection
  // is closed (which ends the pending read); a reply being written first
  // goes out whole.
  let uuid = "";
  let sending = false;
  let saidGoodbye = false;
  const goodbye = () => {
    if (saidGoodbye || sending) return;
    saidGoodbye = true;
    const suffix = uuid === "" ? "" : `_${uuid}`;
    void sendQuietly(`ERROR Server shutting down; connection closed, try again later${suffix}`)
      .finally(() => closeQuietly(conn));
  };
  const sendReply = async (text: string) => {
    sending = true;
    try {
      await send(text);
    } finally {
      sending = false;
      if (hooks.shutdown?.aborted) goodbye();
    }
  };
  hooks.shutdown?.addEventListener("abort", goodbye, { once: true });
  using _unlisten = {
    [Symbol.dispose]: () => hooks.shutdown?.removeEventListener("abort", goodbye),
  };
  const context: Context = {
    reader,
    source,
    log,
    fault,
    trace,
    compute: settings.compute,
    limits: { fibonacci: settings.fibonacciLimit, factorial: settings.factorialLimit },
  };

  try {
    const name = await reader.readName(NAME_LIMIT);
    if (name === null) {
      log("Connection closed before the client sent its name");
      return "closed";
    }
    trace?.(`<- ${showBytes(name)}`);
    uuid = clientUuid(name);
    log(`Client name is: ${showBytes(name)}`);
    await sendReply(uuid);
    for (;;) {
      try {
        const keyword = await reader.readKeyword();
        if (keyword === null) {
          log("Client closed the connection without COMPLETE");
          return "closed";
        }
        trace?.(`<- ${keyword}`);
        if (keyword === "COMPLETE") {
          log("Complete request from client, closing connection");
          return "complete";
        }
        const answered = await answer(context, keyword);
        if (answered.status === "answered") {
          // The reply goes out first, the log line after: a client never
          // waits on the log.
          await sendReply(`${answered.value}_${uuid}`);
          log(answered.line);
        } else {
          // A server-side failure was logged as a fault already.
          if (answered.status === "refused") log(`Bad request: ${answered.message}`);
          await sendReply(`ERROR ${answered.message}_${uuid}`);
        }
      } catch (error) {
        if (!(error instanceof RequestError)) throw error;
        log(`Bad request: ${error.message}`);
        await reader.discardBurst(); // the rest of it, such as a refused FILE body
        await sendReply(`ERROR ${error.message}_${uuid}`);
      }
    }
  } catch (error) {
    const suffix = uuid === "" ? "" : `_${uuid}`;
    if (error instanceof RequestError) {
      log(`Bad request: ${error.message}; closing connection`);
      await sendQuietly(`ERROR ${error.message}${suffix}`);
      return "error";
    }
    if (error instanceof TimeoutError) {
      log(`${error.message}; closing connection`);
      if (!writeTimedOut) await sendQuietly(`ERROR ${error.message}${suffix}`);
      return "timeout";
    }
    if (error instanceof TruncatedError) {
      log(error.message);
      return "closed";
    }
    if (hooks.shutdown?.aborted) {
      log("Server shutting down; told the client, connection closed");
      return "closed";
    }
    log(`Connection error: ${describeError(error)}`);
    return "error";
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

interface Context {
  reader: RequestReader;
  source: ByteSource;
  log: (line: string) => void;
  /** For the server's own faults (a computation that failed). */
  fault: (line: string) => void;
  trace: ((line: string) => void) | undefined;
  compute: ComputeFunction;
  limits: { fibonacci: number; factorial: number };
  /** Aborts when the client has gone away; made on the first computation. */
  gone?: AbortController;
}

async function answer(
  context: Context,
  keyword: Exclude<Keyword, "COMPLETE">,
): Promise<Answered> {
  const { reader, log, trace } = context;
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
      value = await context.compute({ kind, n, limit: context.limits[kind] }, context.gone.signal);
    } catch (error) {
      if (error instanceof RequestError) return { status: "refused", message: error.message };
      if (context.gone.signal.aborted) {
        throw new TruncatedError("Client left during the computation", { cause: error });
      }
      const message = `${keyword} ${n} failed: ${describeError(error)}`;
      // A full queue is load, not a fault: an ordinary line, muted by --quiet.
      if (error instanceof PoolBusyError) log(`Busy: ${message}`);
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
