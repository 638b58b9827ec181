/**
 * Test helpers: a Task 2 server that makes one chosen mistake, the way
 * student servers do, built on the project's own request tokenizer (so it
 * reads the test client's messages however TCP splits them).
 */

import { ByteSource } from "../../lib/net/byte_source.ts";
import { closeQuietly } from "../../lib/net/deadline.ts";
import { serveTcp, type TcpService } from "../../lib/net/listener.ts";
import { writeAll } from "../../lib/net/write_all.ts";
import { factorial, fibonacci } from "../../lib/task2/compute/compute.ts";
import { WordCounter } from "../../lib/task2/compute/word_count.ts";
import { clientUuid } from "../../lib/task2/protocol/client_uuid.ts";
import { RequestReader } from "../../lib/task2/server/request_reader.ts";

/** How the server departs from the protocol; an empty object is a right server. */
export interface ServerMistakes {
  /** The UUID sent for `name`; default uuid3 as 32 hex digits. */
  uuid?: (name: string) => string;
  /** The UUID ending every reply; default the one sent to this connection. */
  replyUuid?: (uuid: string) => string;
  /** F(n) as the server computes it; default right. */
  fibonacci?: (n: number) => bigint;
  /** n! as the server computes it; default right. */
  factorial?: (n: number) => bigint;
  /** Body bytes counted (a recv(k) that reads part of the body); default all. */
  countFirst?: number;
  /** Counts separators instead of words. */
  countSpaces?: boolean;
  /** Bytes after every reply's UUID, such as "\n". */
  suffix?: string;
  /** Bytes after the greeting's UUID, such as "\n". */
  uuidSuffix?: string;
  /** Replies without `_uuid`. */
  omitUuid?: boolean;
  /** Never answers FILE (a server that waits for WORD_COUNT). */
  noFile?: boolean;
  /** Closes the connection after answering this many requests. */
  closeAfter?: number;
  /** Serves one connection at a time, each to its end. */
  sequential?: boolean;
  /**
   * Closes with a byte of the last request unread, so the kernel resets the
   * connection under COMPLETE. This server reads one request per read: run
   * the test client with `writeMode: "single"` and unshuffled requests.
   */
  resetAfterComplete?: boolean;
  /** Closes instead of answering a value of more than this many digits (Python's 4300). */
  maxDigits?: number;
  /** Ends every reply with the UUID of the connection greeted last (one global variable). */
  sharedUuid?: boolean;
}

/** Starts the server on 127.0.0.1, any free port. */
export function mistakenServer(mistakes: ServerMistakes): TcpService {
  const encoder = new TextEncoder();
  let latest = "";
  let queue = Promise.resolve();
  const serve = async (conn: Deno.TcpConn) => {
    conn.setNoDelay(true);
    if (mistakes.resetAfterComplete) return await resetting(conn);
    using source = new ByteSource(conn.readable);
    const reader = new RequestReader(source, { gapMs: 10, idleMs: 5000 });
    const name = new TextDecoder().decode((await reader.readName(256))!);
    const uuid = mistakes.uuid?.(name) ?? clientUuid(name);
    latest = uuid;
    await writeAll(conn, encoder.encode(uuid + (mistakes.uuidSuffix ?? "")));
    for (let answered = 0;; answered++) {
      if (answered === mistakes.closeAfter) return;
      const keyword = await reader.readKeyword();
      if (keyword === null) return;
      if (keyword === "COMPLETE") return;
      if (keyword === "FILE" && mistakes.noFile) {
        // Reads on, unanswering, until the client gives up.
        while (await source.wait(Number.POSITIVE_INFINITY) === "data") {
          source.takeUpTo(Number.POSITIVE_INFINITY);
        }
        return;
      }
      const n = await reader.readNumber("n");
      let answer: string;
      if (keyword === "FIBONACCI") answer = (mistakes.fibonacci ?? fibonacci)(n).toString();
      else if (keyword === "FACTORIAL") answer = (mistakes.factorial ?? factorial)(n).toString();
      else {
        const counter = new WordCounter();
        let taken = 0;
        let spaces = 0;
        await reader.readBody(n, (chunk) => {
          const counted = chunk.subarray(0, Math.max(0, (mistakes.countFirst ?? n) - taken));
          taken += chunk.length;
          counter.push(counted);
          spaces += counted.filter((byte) => byte === 0x20).length;
        });
        answer = String(mistakes.countSpaces ? spaces : counter.count);
      }
      if (mistakes.maxDigits !== undefined && answer.length > mistakes.maxDigits) return;
      const mine = mistakes.sharedUuid ? latest : uuid;
      const end = mistakes.omitUuid ? "" : `_${mistakes.replyUuid?.(mine) ?? mine}`;
      await writeAll(conn, encoder.encode(answer + end + (mistakes.suffix ?? "")));
    }
  };
  return serveTcp({ hostname: "127.0.0.1", port: 0 }, async (conn) => {
    const run = async () => {
      try {
        await serve(conn);
      } catch {
        // The client went away: a student's server would just drop it.
      } finally {
        closeQuietly(conn);
      }
    };
    if (!mistakes.sequential) return await run();
    const turn = queue.then(run);
    queue = turn;
    await turn;
  }, { log: () => {} });
}

/**
 * A right server that reads one whole request per read (the client writes
 * each in one), but the last body byte of the sixth request (a FILE, with
 * the client's requests unshuffled) stays unread: its last word is counted
 * all the same, and closing then makes the kernel reset the connection
 * under the client's COMPLETE.
 */
async function resetting(conn: Deno.TcpConn): Promise<void> {
  const decoder = new TextDecoder();
  const read = async (max: number) => {
    const buffer = new Uint8Array(max);
    const n = await conn.read(buffer);
    return n === null ? null : decoder.decode(buffer.subarray(0, n));
  };
  const name = await read(256);
  if (name === null) return;
  const uuid = clientUuid(name);
  await writeAll(conn, new TextEncoder().encode(uuid));
  for (let i = 1; i <= 6; i++) {
    let request = await read(i < 6 ? 4096 : 16);
    const match = /^(FIBONACCI|FACTORIAL|FILE)(\d+)/.exec(request ?? "");
    if (request === null || match === null) return;
    const n = Number(match[2]);
    if (match[1] === "FILE" && i === 6) {
      // Read all but the last byte of the body.
      for (let want = match[0].length + n - 1 - request.length; want > 0;) {
        const more = await read(want);
        if (more === null) return;
        request += more;
        want -= more.length;
      }
    }
    const answer = match[1] === "FIBONACCI"
      ? fibonacci(n)
      : match[1] === "FACTORIAL"
      ? factorial(n)
      : request.slice(match[0].length).split(" ").filter((word) => word !== "").length;
    await writeAll(conn, new TextEncoder().encode(`${answer}_${uuid}`));
  }
}

/** The dashed 8-4-4-4-12 form of 32 hex digits. */
export function dashed(hex: string): string {
  return hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
}
