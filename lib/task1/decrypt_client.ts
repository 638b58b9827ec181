/**
 * The Task 1 decryption client: sends the header, decrypts every packet the
 * server sends with the key it carries, sends the plaintext back, and
 * returns the server's result packet.
 *
 * @module
 */

import { connectTcp } from "../net/connect.ts";
import { closeQuietly, withTimeout } from "../net/deadline.ts";
import { ProtocolError, TruncatedError } from "../net/errors.ts";
import { FrameReader } from "./frame_reader.ts";
import { isResultKeyword } from "./keyword.ts";
import { encodePacket, packetsOf } from "./packet.ts";
import { writeAll } from "../net/write_all.ts";
import { xorCipher } from "./xor.ts";

/**
 * How replies are sent: `per-packet` answers each packet as it arrives,
 * with the same flag; `rechunk` receives everything, then sends it back in
 * 10,000-byte packets. The course's server accepted both.
 *
 * @example
 * ```ts
 * import { type ReplyStyle } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const styles: ReplyStyle[] = ["per-packet", "rechunk"];
 * assert.equal(styles.length, 2);
 * ```
 */
export type ReplyStyle = "per-packet" | "rechunk";

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
  /** Longest wait to connect or for one packet, in ms; default 10,000. */
  timeoutMs?: number | undefined;
  /** How replies are sent; default `per-packet`. */
  style?: ReplyStyle | undefined;
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

/** A result packet has an uppercase keyword; data packets carry the lowercase key. */

/**
 * Runs one Task 1 exchange and returns the result packet. Every received
 * packet's checksum is verified. Throws `ConnectionError` when the server is
 * not there, `TimeoutError` on silence, `ChecksumError`/`HeaderError` for a
 * malformed packet, and `TruncatedError` when the server closes before its
 * result packet.
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
  const { hostname, port, studentId } = options;
  const keyword = options.keyword ?? "sbmt";
  const timeoutMs = options.timeoutMs ?? 10_000;
  const style = options.style ?? "per-packet";
  using conn = await connectTcp(hostname, port, timeoutMs);
  conn.setNoDelay(true);
  const onTimeout = () => closeQuietly(conn);
  const reader = new FrameReader(conn.readable, { timeoutMs, onTimeout });
  // A server that stops reading must not hang the client either.
  const send = (bytes: Uint8Array) =>
    withTimeout(writeAll(conn, bytes), timeoutMs, "the server to read a packet", onTimeout);
  await send(encodePacket({ flag: 1, keyword, sid: studentId, data: new Uint8Array() }));

  let key: string | undefined;
  let packets = 0;
  let bytes = 0;
  const kept: Uint8Array[] = [];
  for (;;) {
    const packet = await reader.readPacket();
    if (packet === null) {
      throw new TruncatedError(
        `Server closed the connection after ${packets} packets, before sending a result`,
      );
    }
    if (isResultKeyword(packet.keyword)) {
      const message = new TextDecoder().decode(packet.data);
      const result: DecryptResult = {
        keyword: packet.keyword,
        score: packet.sid,
        message,
        packets,
        bytes,
      };
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
    const plain = xorCipher(packet.data, key);
    if (style === "per-packet") {
      const reply = encodePacket({ flag: packet.flag, keyword: key, sid: studentId, data: plain });
      await send(reply);
    } else {
      kept.push(plain);
      if (packet.flag === 1) {
        const all = new Uint8Array(bytes);
        let offset = 0;
        for (const part of kept) {
          all.set(part, offset);
          offset += part.length;
        }
        for (const reply of packetsOf(all, key, studentId)) await send(reply);
      }
    }
  }
}
