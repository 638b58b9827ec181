/**
 * The Task 1 decryption client: sends the header, decrypts every packet the
 * server sends with the key it carries, sends the plaintext back, and
 * returns the server's result packet.
 *
 * @module
 */

import type { PcapCapture } from "../../net/pcap.ts";
import { connectTcp } from "../../net/connect.ts";
import { closeQuietly, withTimeout } from "../../net/deadline.ts";
import { formatCauses } from "../../net/diagnosis.ts";
import { ProtocolError, TimeoutError, TruncatedError } from "../../net/errors.ts";
import type { Logger } from "../../net/logger.ts";
import { writeAll } from "../../net/write_all.ts";
import { FrameReader } from "../protocol/frame_reader.ts";
import { MAX_SCORE } from "../protocol/rubric.ts";
import { decodeHeader, type Flag, HEADER_SIZE, MAX_DATA_SIZE } from "../protocol/header.ts";
import { diagnoseTask1 } from "../protocol/mistakes.ts";
import { isResultKeyword } from "../protocol/keyword.ts";
import { type DecodedPacket, decodePacket, encodePacket } from "../protocol/packet.ts";
import { formatTrace } from "../protocol/trace.ts";
import { xorCipher } from "../protocol/xor.ts";

/**
 * How replies are sent: `per-packet` answers each packet as it arrives,
 * with the same flag; `rechunk` re-cuts the plaintext into 10,000-byte
 * packets as it streams in, so its packet boundaries differ from the
 * server's. The course's server accepted both.
 *
 * @example
 * ```ts no-assert
 * import { type ReplyStyle } from "@cs341/practice2/task1";
 *
 * const style: ReplyStyle = "rechunk"; // full 10,000-byte packets whatever the server sent
 * console.log(style);
 * ```
 */
export type ReplyStyle = "per-packet" | "rechunk";

/** Longest time for a whole exchange, in ms, by default: 120,000. */
export const DEFAULT_CLIENT_SESSION_MS = 120_000;

/**
 * Data bytes a decryption client accepts by default before it gives up:
 * 100 MiB, far above any real server.
 *
 * @example
 * ```ts
 * import { DEFAULT_MAX_DATA_BYTES, DEFAULT_MAX_PACKETS, MAX_DATA_SIZE } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * assert.ok(DEFAULT_MAX_DATA_BYTES <= DEFAULT_MAX_PACKETS * MAX_DATA_SIZE);
 * ```
 */
export const DEFAULT_MAX_DATA_BYTES: number = 100 * 1024 * 1024;

/** Data packets a decryption client accepts by default before it gives up: 20,000. */
export const DEFAULT_MAX_PACKETS = 20_000;

/**
 * Options for {@linkcode runDecryptClient}.
 */
export interface DecryptClientOptions {
  /** Server host name or address. */
  hostname: string;
  /** Server port. */
  port: number;
  /** The 8-digit student id. */
  studentId: number;
  /** `sbmt` (the default) stores the score; any other 4 lowercase letters is a test run. */
  keyword?: string | undefined;
  /** Longest wait to connect, for one read, or for one whole reply packet's write, in ms; default 10,000. */
  timeoutMs?: number | undefined;
  /** Longest time for the whole exchange, in ms; default {@linkcode DEFAULT_CLIENT_SESSION_MS}. */
  sessionLimitMs?: number | undefined;
  /** Most data bytes accepted; default {@linkcode DEFAULT_MAX_DATA_BYTES}. */
  maxBytes?: number | undefined;
  /** Most data packets accepted; default {@linkcode DEFAULT_MAX_PACKETS}. */
  maxPackets?: number | undefined;
  /** How replies are sent; default `per-packet`. */
  style?: ReplyStyle | undefined;
  /** Receives one `--trace` line per packet in either direction; none by default. */
  trace?: Logger | undefined;
  /** Records the exchange (`--pcap`), if given. */
  capture?: PcapCapture | undefined;
}

/**
 * The server's result packet, plus what the exchange carried.
 *
 * @example
 * ```ts
 * import { type DecryptResult, runDecryptClient } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * import { serveGrading } from "@cs341/practice2/task1";
 * await using server = serveGrading({ hostname: "127.0.0.1", plaintextSize: 20_000, log: () => {} });
 * const result: DecryptResult = await runDecryptClient({
 *   hostname: "127.0.0.1", port: server.port, studentId: 20200000, keyword: "test",
 * });
 * assert.deepEqual([result.keyword, result.score, result.packets, result.bytes], ["GOOD", 50, 3, 20_000]);
 * ```
 */
export interface DecryptResult {
  /** The result packet's keyword: `GOOD` at full marks, else `FAIL`. */
  keyword: string;
  /** The score, from the result packet's sid field. */
  score: number;
  /** The result packet's message. */
  message: string;
  /** The key the server picked, if any data packet came. */
  key?: string;
  /** Encrypted packets received. */
  packets: number;
  /** Plaintext bytes received. */
  bytes: number;
}

/**
 * Runs one Task 1 exchange and returns the result packet. Every received
 * packet's checksum is verified. Throws `ConnectionError` when the server is
 * not there, `TimeoutError` on silence or when the whole exchange outlasts
 * its limit, `ChecksumError`/`HeaderError` for a malformed packet,
 * `ProtocolError` for a result out of range or a server that sends more than
 * the caps allow, and `TruncatedError` when the server closes before its
 * result packet. It holds at most one packet (and, re-chunking, one reply
 * packet's worth of data) at a time.
 *
 * @example
 * ```ts
 * import { runDecryptClient } from "@cs341/practice2/task1";
 * import { serveGrading } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * await using server = serveGrading({ hostname: "127.0.0.1", log: () => {} });
 * const result = await runDecryptClient({
 *   hostname: "127.0.0.1", port: server.port, studentId: 20200000, keyword: "test",
 *   style: "rechunk",
 * });
 * assert.equal(result.score, 50);
 * assert.match(result.message, /^DECRYPTED DATA MATCH/);
 * ```
 */
export async function runDecryptClient(options: DecryptClientOptions): Promise<DecryptResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const sessionMs = options.sessionLimitMs ?? DEFAULT_CLIENT_SESSION_MS;
  using conn = await connectTcp(options.hostname, options.port, timeoutMs, options.capture);
  conn.setNoDelay(true);
  // The whole exchange has its own deadline; closing the connection settles
  // whatever read or write is pending.
  return await withTimeout(exchange(conn, options), sessionMs, "the whole exchange", () => {
    closeQuietly(conn);
  });
}

async function exchange(conn: Deno.TcpConn, options: DecryptClientOptions): Promise<DecryptResult> {
  const { studentId } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_DATA_BYTES;
  const maxPackets = options.maxPackets ?? DEFAULT_MAX_PACKETS;
  const trace = options.trace;
  const onTimeout = () => closeQuietly(conn);
  const reader = new FrameReader(conn, {
    timeoutMs,
    onTimeout,
    trace: trace && ((frame) => trace(`<- ${formatTrace(frame)}`)),
  });
  // A server that stops reading must not hang the client either.
  const write = (bytes: Uint8Array) =>
    withTimeout(writeAll(conn, bytes), timeoutMs, "the server to read a packet", onTimeout);
  const keyword = options.keyword ?? "sbmt";
  const header = encodePacket({ flag: 1, keyword, sid: studentId, data: new Uint8Array() });
  trace?.(`-> ${formatTrace(header)}`);
  await write(header);

  let key: string | undefined;
  let packets = 0;
  let bytes = 0;
  const rechunk = options.style === "rechunk" ? new Rechunker() : undefined;
  let pending: Uint8Array[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    for (const reply of pending) trace?.(`-> ${formatTrace(reply)}`);
    const size = pending.reduce((sum, reply) => sum + reply.length, 0);
    const bytes = pending.length === 1 ? pending[0]! : new Uint8Array(size);
    if (pending.length > 1) {
      pending.reduce((at, reply) => (bytes.set(reply, at), at + reply.length), 0);
    }
    pending = [];
    await write(bytes);
  };
  for (;;) {
    const packet = packets === 0
      ? await readFirstPacket(reader, timeoutMs)
      : await reader.readPacket();
    if (packet === null) {
      throw new TruncatedError(
        `Server closed the connection after ${packets} packets, before sending a result`,
      );
    }
    if (isResultKeyword(packet.keyword)) {
      const result: DecryptResult = { ...checkResult(packet), packets, bytes };
      if (key !== undefined) result.key = key;
      return result;
    }
    if (key === undefined) key = packet.keyword;
    if (packet.keyword !== key) {
      throw new ProtocolError(
        `Server packet ${packets + 1} has keyword '${packet.keyword}', but the key is '${key}'`,
      );
    }
    packets++;
    bytes += packet.data.length;
    if (packets > maxPackets || bytes > maxBytes) {
      throw new ProtocolError(
        `Server sent ${packets} packets, ${bytes} data bytes, and no result; ` +
          `stopped at the limit of ${maxPackets} packets and ${maxBytes} bytes`,
      );
    }
    const plain = xorCipher(packet.data, key, packet.data); // in place
    if (rechunk) {
      for (const reply of rechunk.push(plain, packet.flag)) {
        pending.push(encodePacket({ ...reply, keyword: key, sid: studentId }));
      }
    } else {
      pending.push(encodePacket({ flag: packet.flag, keyword: key, sid: studentId, data: plain }));
    }
    // Replies to packets that arrived together go out in one write.
    if (!reader.hasBufferedPacket() || pending.length >= 6) await flush();
  }
}

/**
 * Reads the server's first packet like `readPacket`; when it is not a
 * Task 1 packet (or nothing comes), the error says what the server seems to
 * be, from the bytes it sent (a Task 2 server's UUID, an HTTP answer,
 * silence): one line, the catalogue's cause after what was seen.
 */
async function readFirstPacket(
  reader: FrameReader,
  timeoutMs: number,
): Promise<DecodedPacket | null> {
  let header: Uint8Array | undefined;
  try {
    const frame = await reader.readFrame(undefined, (bytes) => {
      header = bytes.slice(0, HEADER_SIZE);
      return decodeHeader(bytes).length;
    });
    return frame === null ? null : decodePacket(frame);
  } catch (error) {
    const cause = formatCauses(diagnoseTask1({
      kind: "server-start",
      bytes: header ?? new Uint8Array(),
      end: error instanceof TimeoutError ? "timeout" : "data",
      waitedMs: timeoutMs,
    }));
    if (cause && error instanceof Error) error.message += `; ${cause}`;
    throw error;
  }
}

/** Checks a result packet's fields; what the caller returns. */
function checkResult(packet: DecodedPacket): Pick<DecryptResult, "keyword" | "score" | "message"> {
  const { keyword, sid: score } = packet;
  if (keyword !== "GOOD" && keyword !== "FAIL") {
    throw new ProtocolError(`Result packet has keyword '${keyword}', expected GOOD or FAIL`);
  }
  if (score > MAX_SCORE) {
    throw new ProtocolError(`Result packet carries score ${score}, expected 0 to ${MAX_SCORE}`);
  }
  if ((keyword === "GOOD") !== (score === MAX_SCORE)) {
    throw new ProtocolError(`Result packet says ${keyword} with score ${score}`);
  }
  return { keyword, score, message: new TextDecoder().decode(packet.data) };
}

/**
 * Re-chunks a stream of plaintext into reply packets of at most 9,984 data
 * bytes as it arrives, holding back one packet's worth so the last one can
 * carry flag 1.
 */
class Rechunker {
  readonly #buffer = new Uint8Array(MAX_DATA_SIZE);
  #fill = 0;

  *push(data: Uint8Array, flag: number): Generator<{ flag: Flag; data: Uint8Array }> {
    let offset = 0;
    while (offset < data.length) {
      if (this.#fill === this.#buffer.length) {
        yield { flag: 0, data: this.#buffer };
        this.#fill = 0;
      }
      const n = Math.min(this.#buffer.length - this.#fill, data.length - offset);
      this.#buffer.set(data.subarray(offset, offset + n), this.#fill);
      this.#fill += n;
      offset += n;
    }
    if (flag === 1) {
      yield { flag: 1, data: this.#buffer.subarray(0, this.#fill) };
      this.#fill = 0;
    }
  }
}
