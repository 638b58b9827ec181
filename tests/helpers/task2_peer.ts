/** Test helpers: a hand-driven Task 2 client, for sending exact bytes. */

import { ByteSource } from "../../lib/net/byte_source.ts";
import { withTimeout } from "../../lib/net/deadline.ts";
import { writeAll } from "../../lib/net/write_all.ts";
import {
  type ComputeServerOptions,
  type ComputeService,
  serveCompute,
} from "../../lib/task2/server/compute_server.ts";
import assert from "node:assert/strict";

/** Client1's UUID, as every server sends it. */
export const UUID1 = "f97e575c28d536b49170f3cbaef757af";

/** A loopback compute server with short pauses, logging into `lines`. */
export function testServer(
  lines: string[],
  options: ComputeServerOptions = {},
): ComputeService {
  return serveCompute({
    hostname: "127.0.0.1",
    gapMs: 15,
    timeoutMs: 5000,
    log: (line) => lines.push(line),
    ...options,
  });
}

/** A peer that has already sent its name `Client1` and read its UUID. */
export async function greeted(port: number): Promise<RawPeer> {
  const peer = await rawPeer(port);
  await peer.send("Client1");
  assert.equal(await peer.exactly(32), UUID1);
  return peer;
}

const REPLY_END = /_[0-9a-f]{32}/;
const encoder = new TextEncoder();

/** How a {@linkcode RawPeer.drain} ended: the server closed or reset, or we stopped waiting. */
export type DrainEnd = "closed" | "reset" | "open" | "error";

/**
 * One connection to a compute server, driven byte by byte: the one raw Task 2
 * client of the tests, bench/compare.ts and the soak. Every read has a time
 * limit (5 s unless given) and keeps at most `capBytes` (1 MiB).
 */
export interface RawPeer extends Disposable {
  conn: Deno.TcpConn;
  /** Writes `data` (text as UTF-8) in one write; rejects after `limitMs` (none unless given). */
  send(data: string | Uint8Array, limitMs?: number): Promise<void>;
  /**
   * Reads one reply, up to and including its `_uuid` (or what came before the
   * server closed); rejects after `limitMs`, or with a RangeError past `capBytes`.
   */
  reply(limitMs?: number, capBytes?: number): Promise<string>;
  /**
   * Reads until `length` bytes came (a bare UUID, or an answer of known
   * length), or the server closed; rejects after `limitMs`.
   */
  exactly(length: number, limitMs?: number): Promise<string>;
  /** Reads exactly `count` bytes; rejects with UnexpectedEof when the server closes first. */
  bytes(count: number, limitMs?: number): Promise<Uint8Array>;
  /** Reads until the server closes; resolves what came before. */
  rest(): Promise<string>;
  /** Closes the sending side: the server reads end of stream. */
  closeWrite(): Promise<void>;
  /**
   * Reads until the server closes, for at most `waitMs`; never rejects.
   * Resolves the first `keepBytes` bytes, how many came, and how it ended
   * (`open` when we stopped waiting or closed the connection ourselves).
   */
  drain(
    waitMs: number,
    keepBytes?: number,
  ): Promise<{ bytes: Uint8Array; total: number; end: DrainEnd }>;
}

/** Connects to 127.0.0.1:`port` (or `hostname`) within `limitMs` (none unless given). */
export async function rawPeer(
  port: number,
  hostname = "127.0.0.1",
  limitMs = Number.POSITIVE_INFINITY,
): Promise<RawPeer> {
  const signal = Number.isFinite(limitMs) ? AbortSignal.timeout(limitMs) : undefined;
  const conn = await Deno.connect({ hostname, port, ...(signal ? { signal } : {}) });
  conn.setNoDelay(true); // each send() goes out at once, as the test wrote it
  const source = new ByteSource(conn.readable);
  const decoder = new TextDecoder();
  let held = ""; // bytes read past the end of the last answer
  let closed = false;
  const close = () => {
    closed = true;
    try {
      conn.close();
    } catch {
      // Closed by the server's end of stream already.
    }
  };
  // Reads until `end(text)` says where the answer ends, or the stream ends.
  const readUntil = (
    end: (text: string) => number | undefined,
    what: string,
    limitMs = 5000,
    capBytes = 1 << 20,
  ) =>
    withTimeout(
      (async () => {
        let text = held;
        let at = end(text);
        while (at === undefined && await source.wait(Number.POSITIVE_INFINITY) === "data") {
          text += decoder.decode(source.takeUpTo(Number.POSITIVE_INFINITY));
          if (text.length > capBytes) {
            throw new RangeError(
              `over ${capBytes} bytes waiting for ${what}`,
            );
          }
          at = end(text);
        }
        held = text.slice(at ?? text.length);
        return text.slice(0, at);
      })(),
      limitMs,
      what,
      close,
    );
  const replyEnd = (text: string) => {
    const match = REPLY_END.exec(text);
    return match ? match.index + match[0].length : undefined;
  };
  return {
    conn,
    send: (data, limitMs = Number.POSITIVE_INFINITY) =>
      withTimeout(
        writeAll(conn, typeof data === "string" ? encoder.encode(data) : data),
        limitMs,
        "a write",
        close,
      ),
    reply: (limitMs, capBytes) => readUntil(replyEnd, "a reply", limitMs, capBytes),
    exactly: (length, limitMs) =>
      readUntil(
        (text) => (text.length >= length ? length : undefined),
        `${length} bytes`,
        limitMs,
        Math.max(length, 1 << 20),
      ),
    bytes: (count, limitMs = 5000) =>
      withTimeout(
        (async () => {
          const out = new Uint8Array(count);
          const first = encoder.encode(held).subarray(0, count);
          out.set(first);
          held = held.slice(first.length);
          for (let filled = first.length; filled < count;) {
            if (await source.wait(Number.POSITIVE_INFINITY) !== "data") {
              throw new Deno.errors.UnexpectedEof(
                `the server closed after ${filled} of ${count} bytes`,
              );
            }
            const chunk = source.takeUpTo(count - filled);
            out.set(chunk, filled);
            filled += chunk.length;
          }
          return out;
        })(),
        limitMs,
        `${count} bytes`,
        close,
      ),
    rest: () => readUntil(() => undefined, "the server to close"),
    closeWrite: () => conn.closeWrite(),
    async drain(waitMs, keepBytes = 64 * 1024) {
      const kept = new Uint8Array(keepBytes);
      let total = 0;
      const keep = (chunk: Uint8Array) => {
        if (total < keepBytes) kept.set(chunk.subarray(0, keepBytes - total), total);
        total += chunk.length;
      };
      keep(encoder.encode(held));
      held = "";
      let end: DrainEnd = "closed";
      try {
        await withTimeout(
          (async () => {
            while (await source.wait(Number.POSITIVE_INFINITY) === "data") {
              keep(source.takeUpTo(Number.POSITIVE_INFINITY));
            }
          })(),
          waitMs,
          "the server to close",
          close,
        );
      } catch (error) {
        end = closed ? "open" : error instanceof Deno.errors.ConnectionReset ? "reset" : "error";
      }
      return { bytes: kept.slice(0, Math.min(total, keepBytes)), total, end };
    },
    [Symbol.dispose]: close,
  };
}

/** Resolves once `condition()` holds, checking every 10 ms; rejects after 5 s. */
export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited >= 5000) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
