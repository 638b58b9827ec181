/**
 * The soak's malformed clients: garbage, bad headers, truncated packets,
 * slowloris, silence, bad Task 2 keywords and numbers, oversize FILE
 * lengths and abrupt closes. Each runs until the server ends it or its hold
 * time is up, and reports how it ended; none of them can fail the run.
 *
 * @module
 */

import { encodePacket } from "@cs341/practice2/task1";
import { FIBONACCI_LIMIT } from "@cs341/practice2/task2";
import { setTimeout as sleep } from "node:timers/promises";
import {
  type ConnScope,
  describeTask1Bytes,
  describeTask2Text,
  errorKind,
  type Outcome,
  SoakConn,
} from "./soak_clients.ts";

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
  scope: ConnScope;
  random: () => number;
}

/** One kind of malformed client. */
export interface MalformedKind {
  name: string;
  /** The outcomes that show the server handled it (matched against the label). */
  expected: RegExp;
  run(context: MalformedContext, index: number): Promise<Outcome>;
}

function randomBytes(count: number, random: () => number, min = 0, max = 255): Uint8Array {
  return Uint8Array.from({ length: count }, () => min + Math.floor(random() * (max - min + 1)));
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

/** Task 1: sends `bytes`, optionally closes its sending side, then reads what comes. */
function task1Sending(bytes: (c: MalformedContext) => Uint8Array, halfClose = false) {
  return async (c: MalformedContext): Promise<Outcome> => {
    using conn = await SoakConn.open(c.task1Port, c.scope, c.timeoutMs);
    await conn.write(bytes(c), c.timeoutMs);
    if (halfClose) await conn.closeWrite();
    const { bytes: got, end } = await conn.drain(c.holdMs);
    return describeTask1Bytes(got, end);
  };
}

async function handshake(c: MalformedContext, index: number): Promise<[SoakConn, string]> {
  const conn = await SoakConn.open(c.task2Port, c.scope, c.timeoutMs);
  try {
    await conn.write(`Malformed${index}`, c.timeoutMs);
    const uuid = await conn.uuid(c.timeoutMs);
    return [conn, uuid];
  } catch (error) {
    conn.close();
    throw error;
  }
}

/** Task 2: handshake, `send`, read one reply, `COMPLETE`, and see the server close. */
function task2Request(send: (conn: SoakConn, c: MalformedContext, i: number) => Promise<void>) {
  return async (c: MalformedContext, index: number): Promise<Outcome> => {
    const [conn, uuid] = await handshake(c, index);
    using _conn = conn;
    await send(conn, c, index);
    const answer = await conn.reply(uuid, c.timeoutMs, "for a reply");
    await conn.write("COMPLETE", c.timeoutMs);
    const { total, end } = await conn.drain(c.timeoutMs, 0);
    const outcome = describeTask2Text(answer, end);
    return total > 0 ? { ...outcome, label: `${outcome.label} (+${total} bytes)` } : outcome;
  };
}

async function trickle(conn: SoakConn, bytes: Uint8Array, c: MalformedContext, until: number) {
  let sent = 0;
  while (sent < bytes.length && performance.now() < until) {
    await conn.write(bytes.subarray(sent, sent + 1), c.timeoutMs);
    sent++;
    await sleep(c.trickleMs);
  }
  return sent;
}

/** Task 2: `FILE`, a pause, `length`, and the pause the server needs before the body. */
async function fileRequest(conn: SoakConn, c: MalformedContext, length: string) {
  await conn.write("FILE", c.timeoutMs);
  await sleep(c.pauseMs);
  await conn.write(length, c.timeoutMs);
  await sleep(c.bodyPauseMs);
}

const BAD_NUMBERS: [string, string][] = [
  ["FIBONACCI", "abc"],
  ["FACTORIAL", "-3"],
  // Over the server's default limit (250000 was within it: a valid request).
  ["FIBONACCI", String(FIBONACCI_LIMIT + 1)],
  ["FACTORIAL", "1234567890123456789"],
];

/** Every kind, in the order clients are assigned to them (round robin). */
export const MALFORMED_KINDS: readonly MalformedKind[] = [
  {
    name: "t1-garbage",
    expected: /^FAIL packet/,
    run: task1Sending((c) => Uint8Array.of(0xff, ...randomBytes(63, c.random))),
  },
  {
    name: "t1-bad-header",
    expected: /^FAIL packet/,
    run: task1Sending(() => header(7, "test", 20200000, 16)),
  },
  {
    name: "t1-oversize",
    expected: /^FAIL packet/,
    run: task1Sending(() => header(1, "test", 20200000, 50_000)),
  },
  {
    name: "t1-truncated",
    expected: /^(FAIL packet, )?closed by server/,
    run: task1Sending(() => validHeader().subarray(0, 10), true),
  },
  {
    name: "t1-abrupt",
    expected: /^we closed/,
    run: async (c) => {
      using conn = await SoakConn.open(c.task1Port, c.scope, c.timeoutMs);
      await conn.write(validHeader(), c.timeoutMs);
      const first = await conn.bytes(16, c.timeoutMs, "for the first packet");
      const key = new TextDecoder().decode(first.subarray(4, 8));
      const reply = encodePacket({
        flag: 0,
        keyword: key,
        sid: 20200000,
        data: new Uint8Array(9984),
      });
      await conn.write(reply.subarray(0, 5000), c.timeoutMs);
      return { label: "we closed mid-packet", detail: `key ${key}` };
    },
  },
  {
    name: "t1-slowloris",
    expected: /^(data packets|FAIL packet|we left)/,
    run: async (c) => {
      const until = performance.now() + c.holdMs;
      using conn = await SoakConn.open(c.task1Port, c.scope, c.timeoutMs);
      const sent = await trickle(conn, validHeader(), c, until);
      if (sent < 16) return { label: "we left mid-header", detail: `${sent} of 16 bytes` };
      const { bytes, end } = await conn.drain(Math.max(1, until - performance.now()));
      return describeTask1Bytes(bytes, end);
    },
  },
  {
    name: "t1-silent",
    expected: /^(still open|FAIL packet)/,
    run: task1Sending(() => new Uint8Array()),
  },
  {
    name: "t2-garbage",
    expected: /^ERROR reply, closed/,
    run: async (c) => {
      using conn = await SoakConn.open(c.task2Port, c.scope, c.timeoutMs);
      await conn.write(randomBytes(300, c.random, 0x21, 0xfe), c.timeoutMs);
      const { bytes, end } = await conn.drain(c.holdMs, 1024);
      return describeTask2Text(new TextDecoder().decode(bytes), end);
    },
  },
  {
    name: "t2-bad-keyword",
    expected: /^ERROR reply, closed by server$/,
    run: task2Request(async (conn, c) => await conn.write("HELLO", c.timeoutMs)),
  },
  {
    name: "t2-bad-number",
    expected: /^ERROR reply, closed by server$/,
    run: task2Request(async (conn, c, index) => {
      const [keyword, number] = BAD_NUMBERS[index % BAD_NUMBERS.length]!;
      await conn.write(keyword, c.timeoutMs);
      await sleep(c.pauseMs);
      await conn.write(number, c.timeoutMs);
    }),
  },
  {
    name: "t2-oversize-file",
    expected: /^ERROR reply, closed by server$/,
    run: task2Request(async (conn, c) => {
      await conn.write("FILE", c.timeoutMs);
      await sleep(c.pauseMs);
      // The body's first bytes come with the length, so the server discards
      // them with the bad request (a body sent after a quiet gap would be
      // read as the next request).
      await conn.write(`67108865${"x ".repeat(50)}`, c.timeoutMs);
    }),
  },
  {
    name: "t2-truncated",
    expected: /closed by server$/,
    run: async (c, index) => {
      const [conn] = await handshake(c, index);
      using _conn = conn;
      await fileRequest(conn, c, "1000");
      await conn.write("x ".repeat(150), c.timeoutMs);
      await conn.closeWrite();
      const { bytes, end } = await conn.drain(c.holdMs, 1024);
      return describeTask2Text(new TextDecoder().decode(bytes), end);
    },
  },
  {
    name: "t2-abrupt",
    expected: /^we closed/,
    run: async (c, index) => {
      const [conn] = await handshake(c, index);
      using _conn = conn;
      await fileRequest(conn, c, "100000");
      await conn.write("y ".repeat(25_000), c.timeoutMs);
      return { label: "we closed mid-body", detail: "50000 of 100000 bytes" };
    },
  },
  {
    name: "t2-slowloris",
    expected: /^answered right/,
    run: async (c, index) => {
      const until = performance.now() + c.holdMs;
      const [conn, uuid] = await handshake(c, index);
      using _conn = conn;
      const length = Math.max(1, Math.floor(c.holdMs / c.trickleMs) - 2);
      await fileRequest(conn, c, String(length));
      const body = encoder.encode("z ".repeat(length).slice(0, length));
      const sent = await trickle(conn, body, c, until + c.timeoutMs);
      const answer = await conn.reply(uuid, c.timeoutMs, "for a reply");
      const right = answer === String(Math.ceil(length / 2));
      await conn.write("COMPLETE", c.timeoutMs);
      return {
        label: right ? "answered right" : "answered wrong",
        detail: `${sent} bytes: ${answer}`,
      };
    },
  },
  {
    name: "t2-silent",
    expected: /^(still open|ERROR reply, closed)/,
    run: async (c) => {
      using conn = await SoakConn.open(c.task2Port, c.scope, c.timeoutMs);
      const { bytes, end } = await conn.drain(c.holdMs, 1024);
      return describeTask2Text(new TextDecoder().decode(bytes), end);
    },
  },
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
