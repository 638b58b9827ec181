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
import { RequestError, TimeoutError, TruncatedError } from "../net/errors.ts";
import { formatAddress } from "../net/listener.ts";
import { type Keyword, RequestReader, showBytes } from "./request_reader.ts";
import { WordCounter } from "./word_count.ts";
import { writeAll } from "../net/write_all.ts";

/**
 * The largest FILE body the server accepts: 64 MiB.
 *
 * @example
 * ```ts
 * import { FILE_LENGTH_LIMIT } from "./compute_session.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(FILE_LENGTH_LIMIT, 67_108_864);
 * ```
 */
export const FILE_LENGTH_LIMIT = 64 * 1024 * 1024;

/**
 * The longest client name the server accepts, in bytes.
 *
 * @example
 * ```ts
 * import { NAME_LIMIT } from "./compute_session.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(NAME_LIMIT, 256);
 * ```
 */
export const NAME_LIMIT = 256;

/**
 * How a session reads and reports.
 *
 * @example
 * ```ts
 * import { type SessionOptions } from "./compute_session.ts";
 * import assert from "node:assert/strict";
 *
 * const options: SessionOptions = { gapMs: 50, idleMs: 30_000, log: console.log };
 * assert.ok(options.idleMs > options.gapMs);
 * ```
 */
export interface SessionOptions {
  /** No byte for this long ends a name or a number (ms). */
  gapMs: number;
  /** No byte for this long while one is needed closes the connection (ms). */
  idleMs: number;
  /** Receives one line per event. */
  log: (line: string) => void;
}

/**
 * How a session ended.
 *
 * @example
 * ```ts
 * import { type SessionEnd } from "./compute_session.ts";
 * import assert from "node:assert/strict";
 *
 * const end: SessionEnd = "complete";
 * assert.equal(end, "complete");
 * ```
 */
export type SessionEnd = "complete" | "closed" | "timeout" | "error";

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Serves one connection until COMPLETE, end of stream, a timeout or a
 * connection error, and says which. It never throws for anything the peer
 * does; it does not close `conn` (the caller does).
 *
 * @example
 * ```ts
 * import { serveComputeSession } from "./compute_session.ts";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
 * using client = await Deno.connect({ hostname: "127.0.0.1", port: listener.addr.port });
 * using server = await listener.accept();
 * const session = serveComputeSession(server, { gapMs: 20, idleMs: 5000, log: (l) => lines.push(l) });
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
  options: SessionOptions,
): Promise<SessionEnd> {
  const peer = formatAddress(conn.remoteAddr);
  const log = (line: string) => options.log(`[${peer}] ${line}`);
  const reader = new RequestReader(new ByteSource(conn.readable), options);
  const send = (text: string) =>
    withTimeout(
      writeAll(conn, new TextEncoder().encode(text)),
      options.idleMs,
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
    log(`Connection error: ${describe(error)}`);
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
