/**
 * Judging a client's reply packet by packet against the rubric, and the
 * whole Task 1 score. A slip in a reply packet's header (flag, checksum,
 * keyword, sid) is named and costs the 10 header points, once; the packet's
 * data is still judged, so the length (15) and content (15) items depend
 * only on the bytes that arrived. Every slip and every wrong byte is also
 * held against the mistake catalogue, so the message can name its cause.
 *
 * @module
 */

import { DiagnosisList } from "../../net/diagnosis.ts";
import { showBytes } from "../../net/peer_text.ts";
import { packetChecksum, verifyChecksum } from "../protocol/checksum.ts";
import { MAX_DATA_SIZE } from "../protocol/header.ts";
import { HEADER_SIZE, peekHeader } from "../protocol/header.ts";
import { diagnoseTask1, type ReplySummary } from "../protocol/mistakes.ts";
import { POINTS, ReplyChecker, type RubricPoints } from "../protocol/rubric.ts";

const hex16 = (value: number) => `0x${value.toString(16).padStart(4, "0")}`;

/** Length fields kept for the catalogue. */
const KEPT_LENGTHS = 8;

/**
 * What a judge knows of the session besides the text and the key: the
 * keyword of the client's header, and the checksum fields the server sent
 * (a reply built from a received packet may carry one into its sum).
 */
export interface JudgeContext {
  /** The keyword of the client's opening header. */
  headerKeyword?: string;
  /** Checksum fields of the packets the server sent, in order (a few are enough). */
  sentChecksums?: readonly number[];
}

/**
 * The whole Task 1 score of a session whose opening header was valid, and
 * what the message says about it.
 *
 * @example
 * ```ts
 * import { ReplyJudge, type ReplyVerdict } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const verdict: ReplyVerdict = new ReplyJudge(new Uint8Array(), "tree", 20200000).score();
 * assert.equal(verdict.points, 50);
 * ```
 */
export interface ReplyVerdict {
  /** The header item (10, lost to a reply slip), every packet, the length and the content: 0 to 50. */
  points: number;
  /** What became of the data, e.g. `DECRYPTED DATA MATCH`. */
  text: string;
  /** The points item by item; they add up to `points`. */
  items: RubricPoints;
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
 * assert.deepEqual(judge.score(), {
 *   points: 40,
 *   text: "DECRYPTED DATA MATCH",
 *   items: { header: 0, received: 10, length: 15, data: 15 },
 * });
 * ```
 */
export class ReplyJudge {
  /** The streaming comparison of the reply's data with the plaintext. */
  readonly checker: ReplyChecker;
  readonly #key: Uint8Array;
  readonly #keyText: string;
  readonly #sid: number;
  readonly #plaintext: Uint8Array;
  readonly #context: JudgeContext;
  readonly #found = new DiagnosisList();
  readonly #encrypted: number[] = [];
  readonly #keyShifts: { index: number; shift: number }[] = [];
  readonly #lengths: number[] = [];
  #rfcOrder = 0;
  #noFlag1 = false;
  #packets = 0;
  #emptyPackets = 0;
  #firstSlip: string | undefined;
  #slips = 0;
  /** The reply packet whose flag ended the reply. */
  #endedBy: number | undefined;

  /** Judges a reply to `plaintext`, sent under `key` for student `sid`. */
  constructor(plaintext: Uint8Array, key: string, sid: number, context: JudgeContext = {}) {
    this.checker = new ReplyChecker(plaintext);
    this.#plaintext = plaintext;
    this.#key = new TextEncoder().encode(key);
    this.#keyText = key;
    this.#sid = sid;
    this.#context = context;
  }

  /** Reply packets whose checksum was in RFC 1071 byte order (accepted). */
  get rfcOrderPackets(): number {
    return this.#rfcOrder;
  }

  /** Notes that the whole text came but no packet with flag 1 (a slip of packet `index`). */
  noLastPacket(index: number, why: string): void {
    this.#noFlag1 = true;
    this.note(index, why);
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
    const slipsBefore = this.#slips;
    const flag = peekHeader.flag(frame);
    const data = frame.subarray(HEADER_SIZE);
    if (this.#lengths.length < KEPT_LENGTHS) this.#lengths.push(frame.length);
    // A flag other than 0 or 1 ends the reply only once the text is whole,
    // so the slip costs the header item alone, not the rest of the text.
    const ends = flag === 1 ||
      (flag > 1 && this.checker.received + data.length >= this.checker.expected);
    if (flag > 1) {
      const taken = ends ? "the last packet" : "flag 0: the text is not complete";
      this.note(index, `flag ${flag}, expected 0 or 1 (taken as ${taken})`);
    }
    const keyword = peekHeader.keyword(frame);
    if (!keyword.every((byte, i) => byte === this.#key[i])) {
      this.note(index, `keyword '${showBytes(keyword)}', expected the key '${this.#keyText}'`);
    }
    const sid = peekHeader.sid(frame);
    if (sid !== this.#sid) this.note(index, `sid ${sid}, expected ${this.#sid}`);
    const order = verifyChecksum(frame);
    if (order === "rfc1071") this.#rfcOrder++;
    if (order === undefined) {
      this.note(
        index,
        `bad checksum: field ${hex16(peekHeader.checksum(frame))}, expected ${
          hex16(packetChecksum(frame))
        } (or ${hex16(packetChecksum(frame, "rfc1071"))} in RFC 1071 byte order)`,
      );
      this.#found.add(diagnoseTask1({
        kind: "checksum",
        where: `reply packet ${index}`,
        packet: frame,
        reused: this.#context.sentChecksums ?? [],
      }));
    }
    if (this.#slips > slipsBefore) {
      this.#found.add(diagnoseTask1({
        kind: "reply-packet",
        index,
        packet: frame,
        key: this.#keyText,
        sid: this.#sid,
        headerKeyword: this.#context.headerKeyword ?? "",
      }));
    }
    if (!ends && data.length === 0) {
      this.#emptyPackets++;
      this.note(index, `no data, and flag ${flag}`);
    }
    const offset = this.checker.received;
    this.checker.push(data);
    const differs = this.checker.firstDifference;
    if (differs !== undefined && differs < offset + data.length) {
      this.#whyWrong(index, offset, data);
    }
    if (ends) this.#endedBy = index;
    return ends;
  }

  /**
   * Looks at a reply packet whose data is wrong: is it the ciphertext the
   * server sent, or decrypted with the key shifted? (Both hold whatever the
   * packet boundaries: the server's packets carry 9,984 bytes, a multiple
   * of the key's 4, so the key byte of text offset p is key[p % 4].)
   */
  #whyWrong(index: number, offset: number, data: Uint8Array): void {
    const plain = this.#plaintext;
    const key = this.#key;
    const n = Math.min(data.length, plain.length - offset);
    if (n <= 0) return;
    const fits = (shift: number) => {
      for (let j = 0; j < n; j++) {
        const p = offset + j;
        const sent = plain[p]! ^ key[p % 4]!;
        const expected = shift < 0 ? sent : sent ^ key[(p + shift) % 4]!;
        if (data[j] !== expected) return false;
      }
      return true;
    };
    if (fits(-1)) {
      this.#encrypted.push(index);
      return;
    }
    if (fits(0)) return; // right: the difference was in an earlier packet
    for (const shift of [1, 2, 3]) {
      if (fits(shift)) {
        this.#keyShifts.push({ index, shift });
        return;
      }
    }
  }

  /** Where the data of the last packet sent starts. */
  #lastStart(): number {
    return Math.floor(Math.max(this.checker.expected - 1, 0) / MAX_DATA_SIZE) * MAX_DATA_SIZE;
  }

  /** Whether the reply reached into the data of the last packet sent. */
  #receivedAll(): boolean {
    return this.checker.expected === 0 || this.checker.received > this.#lastStart();
  }

  /** What the whole reply added up to, for the catalogue. */
  summary(stop?: { index: number; length: number }): ReplySummary {
    const checker = this.checker;
    const expected = checker.expected;
    const ended = this.#endedBy !== undefined && !this.#receivedAll();
    return {
      expected,
      received: checker.received,
      differsAt: checker.firstDifference,
      packets: this.#packets,
      encrypted: this.#encrypted,
      keyShifts: this.#keyShifts,
      noFlag1: this.#noFlag1,
      endedEarlyBy: ended ? this.#endedBy : undefined,
      lengths: this.#lengths,
      stop,
    };
  }

  /**
   * Every mistake named so far, and those of the whole reply once it ended
   * (`stop` says where a length field broke the framing, if one did).
   */
  diagnoses(stop?: { index: number; length: number }): DiagnosisList {
    const all = new DiagnosisList();
    all.add(this.#found.list());
    all.add(diagnoseTask1({ kind: "reply", reply: this.summary(stop) }));
    return all;
  }

  /**
   * The whole Task 1 score of a session whose opening header was valid: the
   * header item (lost to any reply slip), and the three reply items on the
   * bytes that arrived: every packet received (the reply reached into the
   * data of the last packet sent), the length, and the content; with the
   * message that explains them.
   */
  score(): ReplyVerdict {
    const checker = this.checker;
    const lastStart = this.#lastStart();
    const receivedAll = this.#receivedAll();
    const items: RubricPoints = {
      header: this.formatOk ? POINTS.header : 0,
      received: receivedAll ? POINTS.received : 0,
      length: checker.lengthMatches ? POINTS.length : 0,
      data: checker.dataMatches ? POINTS.data : 0,
    };
    const points = items.header + items.received + items.length + items.data;
    const mismatch = checker.mismatch();
    let text: string;
    if (!receivedAll) {
      text =
        `REPLY ENDED BEFORE THE LAST PACKET: ${mismatch}; the last packet starts at byte ${lastStart}`;
    } else if (mismatch === undefined) {
      text = "DECRYPTED DATA MATCH";
    } else {
      text = checker.lengthMatches
        ? `DECRYPTED DATA MISMATCH: ${mismatch}`
        : `LENGTH MISMATCH: ${mismatch}`;
    }
    return { points, text, items };
  }
}
