/**
 * Judging a client's reply packet by packet against the rubric. A slip in a
 * reply packet's header (flag, checksum, keyword, sid) is named and costs
 * the 10 header points, once; the packet's data is still judged, so the
 * length (15) and content (15) items depend only on the bytes that arrived.
 *
 * @module
 */

import { showBytes } from "../../net/peer_text.ts";
import { packetChecksum, verifyChecksum } from "../protocol/checksum.ts";
import { MAX_DATA_SIZE } from "../protocol/header.ts";
import { HEADER_SIZE } from "../protocol/header.ts";
import { POINTS, ReplyChecker } from "../protocol/rubric.ts";

const hex16 = (value: number) => `0x${value.toString(16).padStart(4, "0")}`;

/**
 * The points of the three reply items, and what the message says about them.
 *
 * @example
 * ```ts
 * import { ReplyJudge, type ReplyVerdict } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const verdict: ReplyVerdict = new ReplyJudge(new Uint8Array(), "tree", 20200000).verdict();
 * assert.equal(verdict.points, 40);
 * ```
 */
export interface ReplyVerdict {
  /** Points for receiving every packet, the length and the content (0 to 40). */
  points: number;
  /** What became of the data, e.g. `DECRYPTED DATA MATCH`. */
  text: string;
}

/**
 * Judges the frames of one reply (whole packets whose length field was
 * sane): header slips are collected, data goes to a {@linkcode ReplyChecker}.
 * A packet with flag 1 ends the reply, and so does one with another flag
 * but 0 (a slip) once the whole text has arrived.
 *
 * @example
 * ```ts
 * import { encodePacket, ReplyJudge } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const plain = new TextEncoder().encode("hello");
 * const judge = new ReplyJudge(plain, "tree", 20200000);
 * const reply = encodePacket({ flag: 1, keyword: "tree", sid: 20200000, data: plain });
 * reply[3]! ^= 1; // a checksum slip: costs the header points, not the data
 * assert.equal(judge.take(reply), true);
 * assert.equal(judge.formatOk, false);
 * assert.match(judge.slip()!, /^Reply packet 1: bad checksum: field 0x/);
 * assert.deepEqual(judge.verdict(), { points: 40, text: "DECRYPTED DATA MATCH" });
 * ```
 */
export class ReplyJudge {
  /** The streaming comparison of the reply's data with the plaintext. */
  readonly checker: ReplyChecker;
  readonly #key: Uint8Array;
  readonly #keyText: string;
  readonly #sid: number;
  #packets = 0;
  #emptyPackets = 0;
  #firstSlip: string | undefined;
  #slips = 0;
  /** The reply packet whose flag ended the reply. */
  #endedBy: number | undefined;

  /** Judges a reply to `plaintext`, sent under `key` for student `sid`. */
  constructor(plaintext: Uint8Array, key: string, sid: number) {
    this.checker = new ReplyChecker(plaintext);
    this.#key = new TextEncoder().encode(key);
    this.#keyText = key;
    this.#sid = sid;
  }

  /** Reply packets taken so far. */
  get packets(): number {
    return this.#packets;
  }

  /** Empty packets with flag 0 so far (a caller caps them). */
  get emptyPackets(): number {
    return this.#emptyPackets;
  }

  /** True while no reply packet has slipped. */
  get formatOk(): boolean {
    return this.#slips === 0;
  }

  /** Notes a slip of the reply packet `index` (1-based). */
  note(index: number, problem: string): void {
    this.#slips++;
    this.#firstSlip ??= `Reply packet ${index}: ${problem}`;
  }

  /** The first slip and how many more, or `undefined` when there was none. */
  slip(): string | undefined {
    if (this.#firstSlip === undefined) return undefined;
    return this.#slips > 1 ? `${this.#firstSlip} (and ${this.#slips - 1} more)` : this.#firstSlip;
  }

  /**
   * Judges one reply frame (at least 16 bytes, its length field equal to
   * its size) and feeds its data on. Returns true when its flag ends the
   * reply: flag 1, or another flag but 0 (a slip) once the whole text has
   * arrived.
   */
  take(frame: Uint8Array): boolean {
    const index = ++this.#packets;
    const view = new DataView(frame.buffer, frame.byteOffset, HEADER_SIZE);
    const flag = view.getUint16(0);
    const data = frame.subarray(HEADER_SIZE);
    // A flag other than 0 or 1 ends the reply only once the text is whole,
    // so the slip costs the header item alone, not the rest of the text.
    const ends = flag === 1 ||
      (flag > 1 && this.checker.received + data.length >= this.checker.expected);
    if (flag > 1) {
      const taken = ends ? "the last packet" : "flag 0: the text is not complete";
      this.note(index, `flag ${flag}, expected 0 or 1 (taken as ${taken})`);
    }
    const keyword = frame.subarray(4, 8);
    if (!keyword.every((byte, i) => byte === this.#key[i])) {
      this.note(index, `keyword '${showBytes(keyword)}', expected the key '${this.#keyText}'`);
    }
    const sid = view.getUint32(8);
    if (sid !== this.#sid) this.note(index, `sid ${sid}, expected ${this.#sid}`);
    if (verifyChecksum(frame) === undefined) {
      this.note(
        index,
        `bad checksum: field ${hex16(view.getUint16(2))}, expected ${
          hex16(packetChecksum(frame))
        } (or ${hex16(packetChecksum(frame, "rfc1071"))} in RFC 1071 byte order)`,
      );
    }
    if (!ends && data.length === 0) {
      this.#emptyPackets++;
      this.note(index, `no data, and flag ${flag}`);
    }
    this.checker.push(data);
    if (ends) this.#endedBy = index;
    return ends;
  }

  /**
   * The three reply items on the bytes that arrived: every packet received
   * (the reply reached into the data of the last packet sent), the length,
   * and the content; with the message that explains them.
   */
  verdict(): ReplyVerdict {
    const checker = this.checker;
    const expected = checker.expected;
    const lastStart = Math.floor(Math.max(expected - 1, 0) / MAX_DATA_SIZE) * MAX_DATA_SIZE;
    const receivedAll = expected === 0 || checker.received > lastStart;
    const points = (receivedAll ? POINTS.received : 0) +
      (checker.lengthMatches ? POINTS.length : 0) +
      (checker.dataMatches ? POINTS.data : 0);
    const mismatch = checker.mismatch();
    let text: string;
    if (!receivedAll) {
      text =
        `REPLY ENDED BEFORE THE LAST PACKET: ${mismatch}; the last packet starts at byte ${lastStart}`;
      // Say why, when the client's own flag ended it.
      if (this.#endedBy !== undefined) {
        text += `; reply packet ${this.#endedBy} carried flag 1 (the last)`;
      }
    } else if (mismatch === undefined) {
      text = "DECRYPTED DATA MATCH";
    } else {
      text = checker.lengthMatches
        ? `DECRYPTED DATA MISMATCH: ${mismatch}`
        : `LENGTH MISMATCH: ${mismatch}`;
    }
    return { points, text };
  }
}
