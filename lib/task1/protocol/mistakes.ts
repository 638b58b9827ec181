/**
 * The Task 1 catalogue of mistakes: every mistake the grading server (and
 * the decryption client, for a wrong peer) can name by its cause, as data.
 * Each entry reads evidence taken from the wire, never the program that
 * sent it: the bytes of a packet, or what a reply added up to. The list is
 * docs/mistakes.md's Task 1 table.
 *
 * @module
 */

import { diagnose, type Diagnosis, type Mistake } from "../../net/diagnosis.ts";
import { showBytes } from "../../net/peer_text.ts";
import { internetChecksum } from "./checksum.ts";
import { HEADER_SIZE, MAX_DATA_SIZE, MAX_PACKET_SIZE } from "./header.ts";

/**
 * What a Task 1 mistake is judged on: one of five kinds of evidence.
 *
 * - `header`: the client's opening packet as read (its 16 header bytes at least).
 * - `checksum`: a packet whose checksum matched in neither byte order; `reused` are
 *   checksum fields the grading server sent (a reply built from a received packet
 *   may carry one into its sum).
 * - `reply-packet`: one reply packet, with the key, the student id and the
 *   header's keyword.
 * - `reply`: what the whole reply added up to, once it ended.
 * - `server-start`: the first bytes a decryption client got after its header.
 *
 * @example
 * ```ts no-assert
 * import { diagnoseTask1, type Task1Evidence } from "@cs341/practice2/task1";
 *
 * // The grading server waited 100 ms for a client that sent nothing.
 * const evidence: Task1Evidence = { kind: "server-start", bytes: new Uint8Array(), end: "timeout", waitedMs: 100 };
 * for (const d of diagnoseTask1(evidence)) console.log(d.message);
 * ```
 */
export type Task1Evidence =
  | { kind: "header"; bytes: Uint8Array }
  | { kind: "checksum"; where: string; packet: Uint8Array; reused: readonly number[] }
  | {
    kind: "reply-packet";
    index: number;
    packet: Uint8Array;
    key: string;
    sid: number;
    headerKeyword: string;
  }
  | { kind: "reply"; reply: ReplySummary }
  | {
    kind: "server-start";
    bytes: Uint8Array;
    end: "data" | "eof" | "timeout";
    waitedMs: number;
  };

/**
 * What a whole reply added up to, for the `reply` entries.
 *
 * @example
 * ```ts
 * import type { ReplySummary } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const summary: ReplySummary = {
 *   expected: 25_000, received: 25_000, differsAt: undefined, packets: 3, encrypted: [], keyShifts: [],
 *   noFlag1: false, endedEarlyBy: undefined, lengths: [10_000, 10_000, 5_048],
 *   stop: undefined,
 * };
 * assert.equal(summary.received, summary.expected);
 * ```
 */
export interface ReplySummary {
  /** Plaintext bytes the server sent. */
  expected: number;
  /** Reply data bytes that arrived. */
  received: number;
  /** The first reply byte that differs from the text, if one does. */
  differsAt: number | undefined;
  /** Reply packets taken. */
  packets: number;
  /** Reply packets (1-based) whose data equals the ciphertext the server sent. */
  encrypted: readonly number[];
  /** Reply packets decrypted with the key shifted by `shift` bytes. */
  keyShifts: readonly { index: number; shift: number }[];
  /** The whole text came, but no packet with flag 1. */
  noFlag1: boolean;
  /** The reply packet whose flag 1 ended the reply before it reached the last packet sent. */
  endedEarlyBy: number | undefined;
  /** The length fields of the first reply packets (at most 8). */
  lengths: readonly number[];
  /** Why reading stopped before flag 1, when a header's length broke the framing. */
  stop: { index: number; length: number } | undefined;
}

const hex16 = (value: number) => `0x${value.toString(16).padStart(4, "0")}`;
const swap16 = (value: number) => ((value & 0xff) << 8) | (value >>> 8);
const swap32 = (value: number) =>
  (((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >>> 8) & 0xff00) | (value >>> 24)) >>>
  0;
/** An 8-digit student id, as the grading server requires (lib/scores has the rule for ids). */
const eightDigits = (sid: number) => sid >= 10_000_000 && sid <= 99_999_999;
const fieldOf = (packet: Uint8Array) => (packet[2]! << 8) | packet[3]!;
const u32 = (bytes: Uint8Array, at: number) =>
  new DataView(bytes.buffer, bytes.byteOffset + at, 4).getUint32(0);

/** The two values a right checksum field may hold for `bytes`, course order first. */
function rightValues(bytes: Uint8Array, skip = -1): number[] {
  const standard = internetChecksum(bytes, skip);
  return [swap16(standard), standard];
}

/**
 * The sum of `packet` as 16-bit words (big-endian, or little-endian pairs as
 * the course's server summed them), the checksum field read as zero, with no
 * carry folded.
 */
function rawSum(packet: Uint8Array, littleEndian: boolean): number {
  let sum = 0;
  for (let i = 0; i < packet.length; i += 2) {
    if (i === 2) continue;
    const a = packet[i]!;
    const b = i + 1 < packet.length ? packet[i + 1]! : 0;
    sum += littleEndian ? a | (b << 8) : (a << 8) | b;
  }
  return sum;
}

/** What a packet's checksum field would be had its sum been left uncomplemented. */
function uncomplemented(packet: Uint8Array): number[] {
  return rightValues(packet, 2).map((value) => ~value & 0xffff);
}

/** What a packet's checksum field would be with its carries not (or only once) folded. */
function unfolded(packet: Uint8Array): number[] {
  const values: number[] = [];
  for (const littleEndian of [true, false]) {
    const sum = rawSum(packet, littleEndian);
    const once = (sum & 0xffff) + Math.floor(sum / 0x10000);
    for (const partial of [sum & 0xffff, once & 0xffff]) {
      const value = ~partial & 0xffff;
      values.push(value, swap16(value));
    }
  }
  // Off by one from the right value (either order): a carry dropped along the way.
  for (const right of rightValues(packet, 2)) {
    for (const near of [(right + 1) & 0xffff, (right + 0xffff) & 0xffff]) {
      values.push(near, swap16(near));
    }
  }
  const right = new Set(rightValues(packet, 2));
  return values.filter((value) => !right.has(value));
}

function matches(field: number, values: readonly number[]): boolean {
  return values.includes(field);
}

/** The `checksum` evidence, or `undefined` for another kind. */
function checksumOf(e: Task1Evidence) {
  return e.kind === "checksum" ? e : undefined;
}

/**
 * The header of `header` evidence that looks like a Task 1 header (flag 0, 1
 * or 256, a keyword of 4 ASCII letters), so its fields can be read for a
 * cause; anything else (an HTTP request, noise) is not guessed at.
 */
function headerOf(e: Task1Evidence): Uint8Array | undefined {
  if (e.kind !== "header" || e.bytes.length < HEADER_SIZE) return undefined;
  const flag = (e.bytes[0]! << 8) | e.bytes[1]!;
  if (flag !== 0 && flag !== 1 && flag !== 0x100) return undefined;
  const word = String.fromCharCode(...e.bytes.subarray(4, 8));
  return /^[a-zA-Z]{4}$/.test(word) ? e.bytes : undefined;
}

function replyOf(e: Task1Evidence): ReplySummary | undefined {
  return e.kind === "reply" ? e.reply : undefined;
}

function list(indices: readonly number[]): string {
  const shown = indices.slice(0, 5).join(", ");
  return indices.length > 5 ? `${shown} and ${indices.length - 5} more` : shown;
}

const STRUCT_HINT = "Pack every header field in network byte order: struct.pack('!HH4sII', ...) " +
  "in Python (the '!' is network order), htons/htonl in C.";

/**
 * Every Task 1 mistake the graders name, in the order they are reported.
 *
 * @example
 * ```ts
 * import { TASK1_MISTAKES } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const ids = TASK1_MISTAKES.map((entry) => entry.id);
 * assert.ok(ids.includes("task1.checksum.not-complemented"));
 * assert.equal(new Set(ids).size, ids.length);
 * ```
 */
export const TASK1_MISTAKES: readonly Mistake<Task1Evidence>[] = [
  {
    id: "task1.checksum.not-complemented",
    severity: "mistake",
    title: "checksum not complemented",
    test: (e) => {
      const c = checksumOf(e);
      if (!c || !matches(fieldOf(c.packet), uncomplemented(c.packet))) return undefined;
      return `${c.where}: checksum field ${hex16(fieldOf(c.packet))} is the bitwise NOT of the ` +
        `right value ${hex16(~fieldOf(c.packet) & 0xffff)}: the sum was never complemented`;
    },
    fix: "After folding the carries, complement the sum: checksum = ~sum & 0xffff.",
  },
  {
    id: "task1.checksum.carries-not-folded",
    severity: "mistake",
    title: "checksum carries not folded",
    test: (e) => {
      const c = checksumOf(e);
      if (!c || !matches(fieldOf(c.packet), unfolded(c.packet))) return undefined;
      return `${c.where}: checksum field ${hex16(fieldOf(c.packet))} is the sum with its carries ` +
        `not folded back in (or folded only once, or one carry dropped), complemented`;
    },
    fix: "Fold until no carry is left: while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16); " +
      "a single fold can leave a carry.",
  },
  {
    id: "task1.checksum.header-only",
    severity: "mistake",
    title: "checksum over the header only",
    test: (e) => {
      const c = checksumOf(e);
      if (!c || c.packet.length <= HEADER_SIZE) return undefined;
      const header = c.packet.subarray(0, HEADER_SIZE);
      if (!matches(fieldOf(c.packet), rightValues(header, 2))) return undefined;
      return `${c.where}: checksum field ${hex16(fieldOf(c.packet))} is the checksum of the ` +
        `16-byte header alone; the data was left out`;
    },
    fix:
      "Compute the checksum over the whole packet: the header (checksum field zero) and the data.",
  },
  {
    id: "task1.checksum.data-only",
    severity: "mistake",
    title: "checksum over the data only",
    test: (e) => {
      const c = checksumOf(e);
      if (!c || c.packet.length <= HEADER_SIZE) return undefined;
      if (!matches(fieldOf(c.packet), rightValues(c.packet.subarray(HEADER_SIZE)))) {
        return undefined;
      }
      return `${c.where}: checksum field ${hex16(fieldOf(c.packet))} is the checksum of the ` +
        `data alone; the header was left out`;
    },
    fix:
      "Compute the checksum over the whole packet: the header (checksum field zero) and the data.",
  },
  {
    id: "task1.checksum.field-not-zeroed",
    severity: "mistake",
    title: "checksum computed without zeroing the field",
    test: (e) => {
      const c = checksumOf(e);
      if (!c) return undefined;
      const copy = c.packet.slice();
      for (const old of c.reused) {
        copy[2] = old >>> 8;
        copy[3] = old & 0xff;
        if (!matches(fieldOf(c.packet), rightValues(copy))) continue;
        return `${c.where}: checksum field ${hex16(fieldOf(c.packet))} was computed with the ` +
          `field still holding ${hex16(old)}, the checksum of a packet the server sent`;
      }
      return undefined;
    },
    fix: "Set the checksum field to 0 before computing the checksum (a packet built from a " +
      "received one still holds the old checksum).",
  },
  {
    id: "task1.header.flag-little-endian",
    severity: "mistake",
    title: "flag packed little-endian",
    test: (e) => {
      const b = headerOf(e);
      if (!b || b[0] !== 1 || b[1] !== 0) return undefined;
      return "the header's flag field is 256 (bytes 01 00): flag 1 packed little-endian";
    },
    fix: STRUCT_HINT,
  },
  {
    id: "task1.header.sid-little-endian",
    severity: "mistake",
    title: "student id packed little-endian",
    test: (e) => {
      const b = headerOf(e);
      if (!b) return undefined;
      const sid = u32(b, 8);
      if (eightDigits(sid) || !eightDigits(swap32(sid))) return undefined;
      return `sid ${sid} is ${swap32(sid)} with its bytes reversed: ` +
        "the student id was packed little-endian";
    },
    fix: STRUCT_HINT,
  },
  {
    id: "task1.header.length-little-endian",
    severity: "mistake",
    title: "length packed little-endian",
    test: (e) => {
      const b = headerOf(e);
      if (!b) return undefined;
      const length = u32(b, 12);
      const swapped = swap32(length);
      if (length >= HEADER_SIZE && length <= MAX_PACKET_SIZE) return undefined;
      if (swapped < HEADER_SIZE || swapped > MAX_PACKET_SIZE) return undefined;
      return `length ${length} is ${swapped} with its bytes reversed: ` +
        "the length was packed little-endian";
    },
    fix: STRUCT_HINT,
  },
  {
    id: "task1.header.length-without-header",
    severity: "mistake",
    title: "length leaves out the 16-byte header",
    test: (e) => {
      const b = headerOf(e);
      if (!b || u32(b, 12) !== b.length - HEADER_SIZE) return undefined;
      return `length ${u32(b, 12)} counts the data only: the length field counts the whole ` +
        "packet, 16 header bytes included (a header alone is 16)";
    },
    fix: "Set length = 16 + len(data).",
  },
  {
    id: "task1.header.keyword-case",
    severity: "mistake",
    title: "keyword in the wrong case",
    test: (e) => {
      const b = headerOf(e);
      if (!b) return undefined;
      const word = String.fromCharCode(...b.subarray(4, 8));
      if (!/^[a-zA-Z]{4}$/.test(word) || word === word.toLowerCase()) return undefined;
      return `keyword '${word}' has capitals: keywords are lowercase, ` +
        `'${word.toLowerCase()}'`;
    },
    fix: "Send the keyword in lowercase: 'sbmt' to submit, any other 4 lowercase letters to test.",
  },
  {
    id: "task1.header.sid-not-8-digits",
    severity: "mistake",
    title: "student id not 8 digits",
    test: (e) => {
      const b = headerOf(e);
      if (!b) return undefined;
      const sid = u32(b, 8);
      if (eightDigits(sid) || eightDigits(swap32(sid))) return undefined;
      return `sid ${sid} has ${String(sid).length} digits: the student id is your 8-digit id ` +
        "(10000000 to 99999999), sent as a number";
    },
    fix: "Send your 8-digit student id as an unsigned 32-bit number (int(sid), not its text).",
  },
  {
    id: "task1.reply.wrong-keyword",
    severity: "mistake",
    title: "reply under the wrong keyword",
    test: (e) => {
      if (e.kind !== "reply-packet") return undefined;
      const word = e.packet.subarray(4, 8);
      const text = showBytes(word);
      if (text === e.key) return undefined;
      const why = text === e.headerKeyword
        ? `your header's keyword, not the key '${e.key}' the server's packets carried`
        : `not the key '${e.key}' the server's packets carried`;
      return `reply packet ${e.index} has keyword '${text}', ${why}`;
    },
    fix: "Reply under the key: the keyword of the packets the server sent.",
  },
  {
    id: "task1.reply.sid-little-endian",
    severity: "mistake",
    title: "reply sid packed little-endian",
    test: (e) => {
      if (e.kind !== "reply-packet") return undefined;
      const sid = u32(e.packet, 8);
      if (sid === e.sid || swap32(sid) !== e.sid) return undefined;
      return `reply packet ${e.index} has sid ${sid}, which is ${e.sid} with its bytes ` +
        "reversed: packed little-endian";
    },
    fix: STRUCT_HINT,
  },
  {
    id: "task1.reply.flag-little-endian",
    severity: "mistake",
    title: "reply flag packed little-endian",
    test: (e) => {
      if (e.kind !== "reply-packet" || e.packet[0] !== 1 || e.packet[1] !== 0) return undefined;
      return `reply packet ${e.index} has flag 256 (bytes 01 00): flag 1 packed little-endian`;
    },
    fix: STRUCT_HINT,
  },
  {
    id: "task1.reply.length-differs",
    severity: "mistake",
    title: "reply length differs",
    test: (e) => {
      const r = replyOf(e);
      // Without a wrong byte, what was seen already gives both lengths.
      if (!r || r.received === r.expected || r.differsAt === undefined) return undefined;
      const diff = r.received - r.expected;
      const by = diff > 0 ? `${diff} too many` : `${-diff} too few`;
      return `the reply carried ${r.received} data bytes in ${r.packets} packet(s); ` +
        `the text was ${r.expected} bytes (${by})`;
    },
    fix: "Send back exactly the bytes you received, decrypted: every packet's data, all of it, " +
      "nothing added (no newline, no terminator).",
  },
  {
    id: "task1.reply.not-decrypted",
    severity: "mistake",
    title: "reply still encrypted",
    test: (e) => {
      const r = replyOf(e);
      if (!r || r.encrypted.length === 0) return undefined;
      return `reply packet(s) ${list(r.encrypted)} carry exactly the ciphertext the server ` +
        "sent: not decrypted";
    },
    fix: "XOR every packet's data with the key before replying, the last packet included.",
  },
  {
    id: "task1.reply.key-misaligned",
    severity: "mistake",
    title: "key does not restart at each packet",
    test: (e) => {
      const r = replyOf(e);
      const first = r?.keyShifts[0];
      if (!r || first === undefined) return undefined;
      return `reply packet ${first.index} is decrypted with the key shifted by ${first.shift} ` +
        `byte(s)${
          r.keyShifts.length > 1 ? ` (and ${r.keyShifts.length - 1} more packet(s))` : ""
        }` +
        ": the key must restart at byte 0 of every packet's data";
    },
    fix: "XOR data byte i of each packet with key[i % 4], counting i from 0 in every packet.",
  },
  {
    id: "task1.reply.packet-too-long",
    severity: "mistake",
    title: "reply packet over 10,000 bytes",
    test: (e) => {
      const r = replyOf(e);
      const stop = r?.stop;
      if (!r || !stop || stop.length <= MAX_PACKET_SIZE) return undefined;
      if (stop.length > r.expected + HEADER_SIZE + MAX_PACKET_SIZE) return undefined;
      return `reply packet ${stop.index} says length ${stop.length}, over the 10,000-byte limit ` +
        "of a packet";
    },
    fix: `Split the reply into packets of at most ${MAX_DATA_SIZE} data bytes (10,000 with the ` +
      "header); flag 1 on the last.",
  },
  {
    id: "task1.reply.length-little-endian",
    severity: "mistake",
    title: "reply length packed little-endian",
    test: (e) => {
      const stop = replyOf(e)?.stop;
      if (!stop) return undefined;
      const swapped = swap32(stop.length);
      if (swapped < HEADER_SIZE || swapped > MAX_PACKET_SIZE) return undefined;
      return `reply packet ${stop.index} says length ${stop.length}, which is ${swapped} with its ` +
        "bytes reversed: the length was packed little-endian";
    },
    fix: STRUCT_HINT,
  },
  {
    id: "task1.reply.length-without-header",
    severity: "mistake",
    title: "reply length leaves out the header",
    test: (e) => {
      const r = replyOf(e);
      if (!r || !r.stop) return undefined;
      const at = r.lengths.findIndex((length, i) =>
        length === Math.min(MAX_DATA_SIZE, r.expected - i * MAX_DATA_SIZE)
      );
      if (at === -1) return undefined;
      return `reply packet ${at + 1} says length ${r.lengths[at]}, the size of its data alone: ` +
        "the length counts the 16 header bytes too, so the next header was read from the data";
    },
    fix: "Set length = 16 + len(data).",
  },
  {
    id: "task1.reply.early-flag-1",
    severity: "mistake",
    title: "flag 1 before the last packet",
    test: (e) => {
      const r = replyOf(e);
      if (!r || r.endedEarlyBy === undefined) return undefined;
      return `reply packet ${r.endedEarlyBy} carried flag 1 (the last) after ${r.received} of ` +
        `the ${r.expected} bytes, so the server stopped reading`;
    },
    fix:
      "Set flag 1 only on your last reply packet, flag 0 on the others (in per-packet replies, " +
      "copy the flag of the packet you answer).",
  },
  {
    id: "task1.reply.no-flag-1",
    severity: "mistake",
    title: "no packet with flag 1",
    test: (e) => {
      const r = replyOf(e);
      if (!r || !r.noFlag1) return undefined;
      return "the whole text came back, but no reply packet carried flag 1: the server waited " +
        "for your last packet";
    },
    fix: "Mark your last reply packet with flag 1.",
  },
  {
    id: "task1.peer.task2-server",
    severity: "mistake",
    title: "talking to a Task 2 server",
    test: (e) => {
      if (e.kind !== "server-start") return undefined;
      const text = String.fromCharCode(...e.bytes);
      if (!/^(?:[0-9a-f]{8}|ERROR )/i.test(text)) return undefined;
      return `the server answered the header with text '${showBytes(e.bytes.subarray(0, 40))}'` +
        ": a Task 2 compute server (it sends a UUID), not the Task 1 grading server";
    },
    fix: "Point the client at the grading server's port (check --host and --port).",
  },
  {
    id: "task1.peer.http",
    severity: "mistake",
    title: "talking to an HTTP server",
    test: (e) => {
      if (e.kind !== "server-start") return undefined;
      if (!/^HTTP\/\d/.test(String.fromCharCode(...e.bytes.subarray(0, 8)))) return undefined;
      return `the server answered '${showBytes(e.bytes.subarray(0, 24))}': an HTTP server, ` +
        "not a CS341 grading server";
    },
    fix: "Point the client at the grading server's port (check --host and --port).",
  },
  {
    id: "task1.peer.silent",
    severity: "mistake",
    title: "server says nothing",
    test: (e) => {
      if (e.kind !== "server-start" || e.end !== "timeout" || e.bytes.length > 0) return undefined;
      return `the server accepted the connection but sent nothing within ${e.waitedMs} ms of ` +
        "the header: not a CS341 grading server, or a stuck one";
    },
    fix: "Check --host and --port, and that the grading server is running.",
  },
];

/**
 * The diagnoses of `evidence` against {@linkcode TASK1_MISTAKES}.
 *
 * @example
 * ```ts
 * import { diagnoseTask1, encodePacket } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * const bytes = encodePacket({ flag: 1, keyword: "sbmt", sid: 20200000, data: new Uint8Array() });
 * bytes[8] = 0x40; bytes[9] = 0x3a; bytes[10] = 0x34; bytes[11] = 0x01; // little-endian sid
 * assert.deepEqual(diagnoseTask1({ kind: "header", bytes }).map((d) => d.id), [
 *   "task1.header.sid-little-endian",
 * ]);
 * ```
 */
export function diagnoseTask1(evidence: Task1Evidence): Diagnosis[] {
  return diagnose(TASK1_MISTAKES, evidence);
}
