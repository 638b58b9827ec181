/**
 * One Task 2 conversation, from the client's name to COMPLETE: handshake,
 * then FIBONACCI, FACTORIAL and FILE (or WORD_COUNT) requests answered as
 * `answer_uuid`. Bad input gets `ERROR message_uuid` and the conversation
 * goes on; a timeout gets the same reply, then the connection closes.
 *
 * @module
 */

import { ByteSource } from "../net/byte_source.ts";
import { clientUuid } from "./client_uuid.ts";
import { factorial, fibonacci } from "./compute.ts";
import { closeQuietly, withTimeout } from "../net/deadline.ts";
import { RequestError } from "./errors.ts";
import { describeError, TimeoutError, TruncatedError } from "../net/errors.ts";
import { formatAddress } from "../net/listener.ts";
import type { Logger } from "../net/logger.ts";
import { type Keyword, RequestReader } from "./request_reader.ts";
import { showBytes } from "../net/peer_text.ts";
import { WordCounter } from "./word_count.ts";
import { writeAll } from "../net/write_all.ts";

/**
 * The largest FILE body the server accepts: 64 MiB.
 */
export const FILE_LENGTH_LIMIT = 64 * 1024 * 1024;

/**
 * The longest client name the server accepts, in bytes.
 *
 * @example
 * ```ts
 * import { NAME_LIMIT } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(NAME_LIMIT, 256);
 * ```
 */
export const NAME_LIMIT = 256;

/**
 * The default quiet gap that ends a name or a number, in milliseconds.
 */
export const DEFAULT_GAP_MS = 50;

/**
 * The default time a connection may stay idle while the server needs a
 * byte from it, in milliseconds.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/**
 * How a compute session reads and reports; every field has a default.
 */
export interface ComputeSessionOptions {
  /** No byte for this long ends a name or a number (ms); default {@linkcode DEFAULT_GAP_MS}. */
  gapMs?: number | undefined;
  /**
   * No byte for this long while one is needed closes the connection (ms);
   * default {@linkcode DEFAULT_IDLE_TIMEOUT_MS}.
   */
  timeoutMs?: number | undefined;
}

/** {@linkcode ComputeSessionOptions} with every default filled in. */
export interface ComputeSettings {
  /** No byte for this long ends a name or a number (ms). */
  gapMs: number;
  /** No byte for this long while one is needed closes the connection (ms). */
  timeoutMs: number;
}

/**
 * Checks `options` and fills in the defaults; throws `RangeError` when the
 * idle time limit is not longer than the gap.
 *
 * @example
 * ```ts
 * import { computeSessionSettings } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(computeSessionSettings({}), { gapMs: 50, timeoutMs: 30_000 });
 * assert.throws(() => computeSessionSettings({ gapMs: 100, timeoutMs: 100 }), {
 *   name: "RangeError",
 * });
 * ```
 */
export function computeSessionSettings(options: ComputeSessionOptions): ComputeSettings {
  const gapMs = options.gapMs ?? DEFAULT_GAP_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  if (!(gapMs > 0) || !(timeoutMs > gapMs)) {
    throw new RangeError(`timeoutMs (${timeoutMs}) must be longer than gapMs (${gapMs}), both > 0`);
  }
  return { gapMs, timeoutMs };
}

/** How a session ended. */
export type SessionEnd = "complete" | "closed" | "timeout" | "error";

/**
 * Serves one connection until COMPLETE, end of stream, a timeout or a
 * connection error, and says which. It never throws for anything the peer
 * does; it does not close `conn` (the caller does).
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
): Promise<SessionEnd> {
  const settings = computeSessionSettings(options);
  const peer = formatAddress(conn.remoteAddr);
  const log = (line: string) => logger(`[${peer}] ${line}`);
  const reader = new RequestReader(new ByteSource(conn.readable), {
    gapMs: settings.gapMs,
    idleMs: settings.timeoutMs,
  });
  const send = (text: string) =>
    withTimeout(
      writeAll(conn, new TextEncoder().encode(text)),
      settings.timeoutMs,
      "the client to take the reply",
      () => closeQuietly(conn),
    );
  const sendQuietly = (text: string) => send(text).catch(() => {});

  let uuid = "";
  try {
    const name = await reader.readName(NAME_LIMIT);
    if (name === null) {
      log("Connection closed before the client sent its name");
      return "closed";
    }
    uuid = clientUuid(name);
    log(`Client name is: ${showBytes(name)}`);
    await send(uuid);
    for (;;) {
      try {
        const keyword = await reader.readKeyword();
        if (keyword === null) {
          log("Client closed the connection without COMPLETE");
          return "closed";
        }
        if (keyword === "COMPLETE") {
          log("Complete request from client, closing connection");
          return "complete";
        }
        const result = await answer(reader, keyword, log);
        await send(`${result}_${uuid}`);
      } catch (error) {
        if (!(error instanceof RequestError)) throw error;
        log(`Bad request: ${error.message}`);
        await reader.discardBurst();
        await send(`ERROR ${error.message}_${uuid}`);
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
      await sendQuietly(`ERROR ${error.message}${suffix}`);
      return "timeout";
    }
    if (error instanceof TruncatedError) {
      log(error.message);
      return "closed";
    }
    log(`Connection error: ${describeError(error)}`);
    return "error";
  }
}

async function answer(
  reader: RequestReader,
  keyword: Exclude<Keyword, "COMPLETE">,
  log: (line: string) => void,
): Promise<string> {
  if (keyword === "FIBONACCI") {
    const n = await reader.readNumber("FIBONACCI n");
    const value = fibonacci(n);
    log(`Fibonacci request from client, fib of ${n}`);
    return value.toString();
  }
  if (keyword === "FACTORIAL") {
    const n = await reader.readNumber("FACTORIAL n");
    const value = factorial(n);
    log(`Factorial request from client, fact of ${n}`);
    return value.toString();
  }
  const length = await reader.readNumber(`${keyword} length`);
  if (length > FILE_LENGTH_LIMIT) {
    throw new RequestError(
      `${keyword} length must be at most ${FILE_LENGTH_LIMIT} bytes (64 MiB), got ${length}`,
    );
  }
  const counter = new WordCounter();
  await reader.readBody(length, (chunk) => counter.push(chunk));
  log(`File request from client, words in file are ${counter.count}`);
  return String(counter.count);
}
