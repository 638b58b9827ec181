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

/** One connection to a compute server, driven byte by byte by a test. */
export interface RawPeer extends Disposable {
  conn: Deno.TcpConn;
  /** Writes `data` (text as UTF-8) in one write. */
  send(data: string | Uint8Array): Promise<void>;
  /** Reads one reply, up to and including its `_uuid`; rejects after `limitMs` (5 s). */
  reply(limitMs?: number): Promise<string>;
  /** Reads until `length` bytes came (a bare UUID); rejects after `limitMs` (5 s). */
  exactly(length: number, limitMs?: number): Promise<string>;
  /** Reads until the server closes; resolves what came before. */
  rest(): Promise<string>;
}

/** Connects to 127.0.0.1:`port` (or `hostname`). */
export async function rawPeer(port: number, hostname = "127.0.0.1"): Promise<RawPeer> {
  const conn = await Deno.connect({ hostname, port });
  conn.setNoDelay(true); // each send() goes out at once, as the test wrote it
  const source = new ByteSource(conn.readable);
  const decoder = new TextDecoder();
  let held = ""; // bytes read past the end of the last answer
  // Reads until `end(text)` says where the answer ends, or the stream ends.
  const readUntil = (
    end: (text: string) => number | undefined,
    what: string,
    limitMs = 5000,
  ) =>
    withTimeout(
      (async () => {
        let text = held;
        let at = end(text);
        while (at === undefined && await source.wait(Number.POSITIVE_INFINITY) === "data") {
          text += decoder.decode(source.takeUpTo(Number.POSITIVE_INFINITY));
          at = end(text);
        }
        held = text.slice(at ?? text.length);
        return text.slice(0, at);
      })(),
      limitMs,
      what,
      () => conn.close(),
    );
  const replyEnd = (text: string) => {
    const match = REPLY_END.exec(text);
    return match ? match.index + match[0].length : undefined;
  };
  return {
    conn,
    send: (data) =>
      writeAll(conn, typeof data === "string" ? new TextEncoder().encode(data) : data),
    reply: (limitMs) => readUntil(replyEnd, "a reply", limitMs),
    exactly: (length, limitMs) =>
      readUntil(
        (text) => (text.length >= length ? length : undefined),
        `${length} bytes`,
        limitMs,
      ),
    rest: () => readUntil(() => undefined, "the server to close"),
    [Symbol.dispose]() {
      try {
        conn.close();
      } catch {
        // Closed by the server's end of stream already.
      }
    },
  };
}

/** Resolves once `condition()` holds, checking every 10 ms; rejects after 5 s. */
export async function waitFor(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited >= 5000) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
