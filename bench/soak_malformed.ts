/**
 * The soak's malformed clients: garbage, bad headers, truncated packets,
 * slowloris, silence, bad Task 2 keywords and numbers, oversize FILE
 * lengths and abrupt closes. Each runs until the server ends it or its hold
 * time is up, and reports how it ended; none of them can fail the run.
 *
 * @module
 */

import { decodeHeader, encodePacket, HEADER_SIZE, isResultKeyword } from "@cs341/practice2/task1";
import { FIBONACCI_LIMIT } from "@cs341/practice2/task2";
import { setTimeout as sleep } from "node:timers/promises";
import type { DrainEnd, RawPeer } from "../tests/helpers/task2_peer.ts";
import { randomBytes } from "./fixtures.ts";
import { errorKind, type Gauge, type OpenConns, replyTo } from "./soak_clients.ts";
import { handshake } from "./load.ts";

const encoder = new TextEncoder();

/** What every malformed client knows. */
export interface MalformedContext {
  task1Port: number;
  task2Port: number;
  /** How long slow and silent clients keep their connection, ms. */
  holdMs: number;
  /** Pause between the bytes of a slowloris client, ms. */
  trickleMs: number;
  /** Pause between a keyword and its number, ms. */
  pauseMs: number;
  /** Pause after a FILE length, ms. */
  bodyPauseMs: number;
  /** Longest wait for a reply, ms. */
  timeoutMs: number;
  /** The run's connections, and the malformed clients' count of theirs. */
  open: OpenConns;
  gauge: Gauge;
  random: () => number;
}

/** How a malformed client ended: a label to count, a detail to show once. */
export interface Outcome {
  label: string;
  detail: string;
}

/** Words for how a connection ended. */
export function endLabel(end: DrainEnd): string {
  return {
    closed: "closed by server",
    reset: "reset by server",
    open: "still open when we left",
    error: "read error",
  }[end];
}

/**
 * What a grading server sent: its result packet (keyword and message), or
 * how many data packets came, or that the bytes are not packets at all.
 */
export function describeTask1Bytes(bytes: Uint8Array, end: DrainEnd): Outcome {
  let [offset, packets] = [0, 0];
  const how = endLabel(end);
  for (; bytes.length - offset >= HEADER_SIZE; packets++) {
    let header;
    try {
      header = decodeHeader(bytes.subarray(offset));
    } catch (error) {
      return { label: `bytes that are not packets, ${how}`, detail: String(error) };
    }
    if (isResultKeyword(header.keyword)) {
      const message = new TextDecoder().decode(
        bytes.subarray(offset + HEADER_SIZE, offset + header.length),
      );
      return {
        label: `${header.keyword} packet, ${how}`,
        detail: `${header.keyword} ${header.sid}: ${message}`,
      };
    }
    offset += header.length;
  }
  if (packets > 0) return { label: `data packets, ${how}`, detail: `${packets} data packets` };
  if (bytes.length > 0) {
    return { label: `a partial packet, ${how}`, detail: `${bytes.length} bytes` };
  }
  return { label: how, detail: "" };
}

/**
 * What a compute server sent after the handshake (or instead of it): an
 * `ERROR` reply, a UUID, other bytes, or nothing.
 */
export function describeTask2Text(text: string, end: DrainEnd): Outcome {
  const what = text.length === 0
    ? ""
    : text.startsWith("ERROR")
    ? "ERROR reply, "
    : /^[0-9a-f]{32}$/.test(text)
    ? "UUID, "
    : "other bytes, ";
  return { label: `${what}${endLabel(end)}`, detail: text.slice(0, 200) };
}

/** One kind of malformed client. */
export interface MalformedKind {
  name: string;
  /** The outcomes that show the server handled it (matched against the label). */
  expected: RegExp;
  run(context: MalformedContext, index: number): Promise<Outcome>;
}

function header(flag: number, keyword: string, sid: number, length: number): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, flag);
  bytes.set(encoder.encode(keyword), 4);
  view.setUint32(8, sid);
  view.setUint32(12, length);
  return bytes;
}

const validHeader = () =>
  encodePacket({ flag: 1, keyword: "test", sid: 20200000, data: new Uint8Array() });

/**
 * Sends `bytes` to the Task 1 or Task 2 port, optionally closes its sending
 * side, then reads what comes until the server closes or `holdMs` passes.
 */
function sending(task: 1 | 2, bytes: (c: MalformedContext) => Uint8Array, halfClose = false) {
  return async (c: MalformedContext): Promise<Outcome> => {
    using conn = await c.open.open(task === 1 ? c.task1Port : c.task2Port, c.gauge, c.timeoutMs);
    await conn.send(bytes(c), c.timeoutMs);
    if (halfClose) await conn.closeWrite();
    const { bytes: got, end } = await conn.drain(c.holdMs, task === 1 ? undefined : 1024);
    return task === 1
      ? describeTask1Bytes(got, end)
      : describeTask2Text(new TextDecoder().decode(got), end);
  };
}

async function greeted(c: MalformedContext, index: number): Promise<[RawPeer, string]> {
  const conn = await c.open.open(c.task2Port, c.gauge, c.timeoutMs);
  try {
    return [conn, await handshake(conn, `Malformed${index}`, c.timeoutMs)];
  } catch (error) {
    conn[Symbol.dispose]();
    throw error;
  }
}

/** Task 2: handshake, `send`, read one reply, `COMPLETE`, and see the server close. */
function task2Request(send: (conn: RawPeer, c: MalformedContext, i: number) => Promise<void>) {
  return async (c: MalformedContext, index: number): Promise<Outcome> => {
    const [conn, uuid] = await greeted(c, index);
    using _conn = conn;
    await send(conn, c, index);
    const answer = await replyTo(conn, uuid, c.timeoutMs);
    await conn.send("COMPLETE", c.timeoutMs);
    const { total, end } = await conn.drain(c.timeoutMs, 0);
    const outcome = describeTask2Text(answer, end);
    return total > 0 ? { ...outcome, label: `${outcome.label} (+${total} bytes)` } : outcome;
  };
}

/** Task 2: a keyword, a pause, then `text`, both picked by the client's index. */
function twoWrites(pick: (index: number) => [string, string]) {
  return task2Request(async (conn, c, index) => {
    const [keyword, text] = pick(index);
    await conn.send(keyword, c.timeoutMs);
    await sleep(c.pauseMs);
    await conn.send(text, c.timeoutMs);
  });
}

async function trickle(conn: RawPeer, bytes: Uint8Array, c: MalformedContext, until: number) {
  let sent = 0;
  while (sent < bytes.length && performance.now() < until) {
    await conn.send(bytes.subarray(sent, sent + 1), c.timeoutMs);
    sent++;
    await sleep(c.trickleMs);
  }
  return sent;
}

/** Task 2: `FILE`, a pause, `length`, and the pause the server needs before the body. */
async function fileRequest(conn: RawPeer, c: MalformedContext, length: string) {
  await conn.send("FILE", c.timeoutMs);
  await sleep(c.pauseMs);
  await conn.send(length, c.timeoutMs);
  await sleep(c.bodyPauseMs);
}

const BAD_NUMBERS: [string, string][] = [
  ["FIBONACCI", "abc"],
  ["FACTORIAL", "-3"],
  // Over the server's default limit (250000 was within it: a valid request).
  ["FIBONACCI", String(FIBONACCI_LIMIT + 1)],
  ["FACTORIAL", "1234567890123456789"],
];

const kind = (name: string, expected: RegExp, run: MalformedKind["run"]) => ({
  name,
  expected,
  run,
});

const [FAIL, ERROR] = [/^FAIL packet/, /^ERROR reply, closed by server$/];
const ERROR_ANY = /^ERROR reply, closed/;
const CLOSED = /^(FAIL packet, )?closed by server/;

/** Every kind, in the order clients are assigned to them (round robin). */
export const MALFORMED_KINDS: readonly MalformedKind[] = [
  kind("t1-garbage", FAIL, sending(1, (c) => Uint8Array.of(0xff, ...randomBytes(63, c.random)))),
  kind("t1-bad-header", FAIL, sending(1, () => header(7, "test", 20200000, 16))),
  kind("t1-oversize", FAIL, sending(1, () => header(1, "test", 20200000, 50_000))),
  kind("t1-truncated", CLOSED, sending(1, () => validHeader().slice(0, 10), true)),
  kind("t1-abrupt", /^we closed/, async (c) => {
    using conn = await c.open.open(c.task1Port, c.gauge, c.timeoutMs);
    await conn.send(validHeader(), c.timeoutMs);
    const key = new TextDecoder().decode((await conn.bytes(16, c.timeoutMs)).subarray(4, 8));
    const data = new Uint8Array(9984);
    const reply = encodePacket({ flag: 0, keyword: key, sid: 20200000, data });
    await conn.send(reply.subarray(0, 5000), c.timeoutMs);
    return { label: "we closed mid-packet", detail: `key ${key}` };
  }),
  kind("t1-slowloris", /^(data packets|FAIL packet|we left)/, async (c) => {
    const until = performance.now() + c.holdMs;
    using conn = await c.open.open(c.task1Port, c.gauge, c.timeoutMs);
    const sent = await trickle(conn, validHeader(), c, until);
    if (sent < 16) return { label: "we left mid-header", detail: `${sent} of 16 bytes` };
    const { bytes, end } = await conn.drain(Math.max(1, until - performance.now()));
    return describeTask1Bytes(bytes, end);
  }),
  kind("t1-silent", /^(still open|FAIL packet)/, sending(1, () => new Uint8Array())),
  kind("t2-garbage", ERROR_ANY, sending(2, (c) => randomBytes(300, c.random, 33, 254))),
  kind("t2-bad-keyword", ERROR, task2Request((conn, c) => conn.send("HELLO", c.timeoutMs))),
  kind("t2-bad-number", ERROR, twoWrites((index) => BAD_NUMBERS[index % BAD_NUMBERS.length]!)),
  // The body's first bytes come with the length, so the server discards them
  // with the bad request (a body sent after a quiet gap would be read as the
  // next request).
  kind("t2-oversize-file", ERROR, twoWrites(() => ["FILE", `67108865${"x ".repeat(50)}`])),
  kind("t2-truncated", /closed by server$/, async (c, index) => {
    const [conn] = await greeted(c, index);
    using _conn = conn;
    await fileRequest(conn, c, "1000");
    await conn.send("x ".repeat(150), c.timeoutMs);
    await conn.closeWrite();
    const { bytes, end } = await conn.drain(c.holdMs, 1024);
    return describeTask2Text(new TextDecoder().decode(bytes), end);
  }),
  kind("t2-abrupt", /^we closed/, async (c, index) => {
    const [conn] = await greeted(c, index);
    using _conn = conn;
    await fileRequest(conn, c, "100000");
    await conn.send("y ".repeat(25_000), c.timeoutMs);
    return { label: "we closed mid-body", detail: "50000 of 100000 bytes" };
  }),
  kind("t2-slowloris", /^answered right/, async (c, index) => {
    const until = performance.now() + c.holdMs;
    const [conn, uuid] = await greeted(c, index);
    using _conn = conn;
    const length = Math.max(1, Math.floor(c.holdMs / c.trickleMs) - 2);
    await fileRequest(conn, c, String(length));
    const body = encoder.encode("z ".repeat(length).slice(0, length));
    const sent = await trickle(conn, body, c, until + c.timeoutMs);
    const answer = await replyTo(conn, uuid, c.timeoutMs);
    await conn.send("COMPLETE", c.timeoutMs);
    const right = answer === String(Math.ceil(length / 2));
    return { label: `answered ${right ? "right" : "wrong"}`, detail: `${sent} bytes: ${answer}` };
  }),
  kind("t2-silent", /^(still open|ERROR reply, closed)/, sending(2, () => new Uint8Array())),
];

/** Runs malformed client `index` (kind `index mod kinds`); never throws. */
export async function runMalformed(
  context: MalformedContext,
  index: number,
): Promise<{ kind: MalformedKind; outcome: Outcome }> {
  const kind = MALFORMED_KINDS[index % MALFORMED_KINDS.length]!;
  try {
    return { kind, outcome: await kind.run(context, index) };
  } catch (error) {
    return { kind, outcome: { label: `failed: ${errorKind(error)}`, detail: String(error) } };
  }
}
