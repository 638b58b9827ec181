/**
 * The load bench/compare.ts puts through a compute server: client
 * connections on 127.0.0.1 that send the Task 2 messages as separate writes
 * (TCP_NODELAY on, so Nagle's algorithm never holds a write back) and read
 * replies until they end with `_` and the connection's UUID.
 *
 * @module
 */

import { TruncatedError } from "@cs341/practice2/net";
import { runPool } from "../lib/cli/pool.ts";
import { setTimeout as sleep } from "node:timers/promises";
import { type RawPeer, rawPeer } from "../tests/helpers/task2_peer.ts";

/** One client connection: the test suite's raw Task 2 peer. */
export type Client = RawPeer;

/** Connects to 127.0.0.1:`port` (TCP_NODELAY on). */
export const connect: (port: number) => Promise<Client> = rawPeer;

/**
 * Sends `name`, reads the 32 characters of the UUID, and returns them; a
 * `TruncatedError` when the server closes first.
 */
export async function handshake(client: Client, name: string, timeoutMs: number): Promise<string> {
  await client.send(name, timeoutMs);
  const text = await client.exactly(32, timeoutMs);
  if (text.length < 32) throw new TruncatedError(`the server closed after '${text}'`);
  return text;
}

/** Reads one `answer_uuid` reply and returns the answer part. */
export async function answer(client: Client, timeoutMs: number): Promise<string> {
  return (await client.reply(timeoutMs)).slice(0, -33);
}

/** Sends `COMPLETE` (ignoring errors) and closes. */
export async function finish(client: Client): Promise<void> {
  await client.send("COMPLETE").catch(() => {});
  client[Symbol.dispose]();
}

/** Opens `count` connections, 64 at a time, each past the name/UUID handshake. */
export async function openClients(
  port: number,
  count: number,
  prefix: string,
  timeoutMs: number,
): Promise<Client[]> {
  const clients: Client[] = [];
  try {
    await runPool(count, 64, async (index) => {
      const client = await connect(port);
      clients.push(client);
      await handshake(client, `${prefix}${index + 1}`, timeoutMs);
    });
  } catch (error) {
    for (const client of clients) client[Symbol.dispose]();
    throw error;
  }
  return clients;
}

/** Sends COMPLETE on every client and closes them. */
export async function closeClients(clients: readonly Client[]): Promise<void> {
  await Promise.all(clients.map(finish));
}

/** What a timed load phase measured. */
export interface LoadResult {
  /** Latencies in ms of the requests finished inside the measured window. */
  latencies: number[];
  /** Requests finished inside the measured window, per second. */
  perSecond: number;
  /** Requests that failed (wrong answer, time-out, closed connection). */
  errors: number;
  /** The first failure's message, if any. */
  firstError?: string;
  /** Requests/s of each round, when measured in rounds (see `inRounds`). */
  roundRates?: number[];
  /** How many of `latencies` each round gave, in order, when measured in rounds. */
  roundSizes?: number[];
}

/**
 * Every client runs `request` back to back for `warmupMs + measureMs`;
 * `request` returns the latency of one request in ms, or `NaN` to leave it
 * out. Requests that end inside the measured window (after the warm-up) are
 * counted. A client stops at its first failure.
 */
export async function runLoad(
  clients: readonly Client[],
  warmupMs: number,
  measureMs: number,
  request: (client: Client) => Promise<number>,
): Promise<LoadResult> {
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + measureMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  await Promise.all(clients.map(async (client) => {
    while (performance.now() < end) {
      try {
        const latency = await request(client);
        const now = performance.now();
        if (now >= measureFrom && now <= end && !Number.isNaN(latency)) latencies.push(latency);
      } catch (error) {
        errors++;
        firstError ??= error instanceof Error ? error.message : String(error);
        client[Symbol.dispose]();
        return;
      }
    }
  }));
  return {
    latencies,
    perSecond: latencies.length / (measureMs / 1000),
    errors,
    ...(firstError === undefined ? {} : { firstError }),
  };
}

/**
 * `FIBONACCI 7` as the course's client sends it (the keyword, a `pauseMs`
 * pause, then `7`), or as one write without `pauseMs`; returns the ms from
 * the last write to the whole reply. Throws unless the answer is 13.
 */
export async function fibonacci7(
  client: Client,
  timeoutMs: number,
  pauseMs?: number,
): Promise<number> {
  if (pauseMs !== undefined) {
    await client.send("FIBONACCI");
    await sleep(pauseMs);
  }
  const started = performance.now();
  await client.send(pauseMs === undefined ? "FIBONACCI 7" : "7");
  const answered = await answer(client, timeoutMs);
  const latency = performance.now() - started;
  if (answered !== "13") throw new Error(`FIBONACCI 7: expected 13, got '${answered}'`);
  return latency;
}

/**
 * Sends `body` as a FILE request the course's way (keyword, pause, length,
 * a pause longer than `gapMs`, then the body in 1 MiB writes) and returns
 * the word count and the ms from the first body byte to the whole reply.
 * `onBody(true)` is called as the body starts, `onBody(false)` once the
 * reply is in.
 */
export async function uploadFile(
  client: Client,
  body: Uint8Array,
  gapMs: number,
  timeoutMs: number,
  onBody: (sending: boolean) => void = () => {},
): Promise<{ words: number; ms: number }> {
  await client.send("FILE");
  await sleep(5);
  await client.send(String(body.length));
  await sleep(gapMs + 50);
  onBody(true);
  const started = performance.now();
  let answered: string;
  try {
    for (let offset = 0; offset < body.length; offset += 1 << 20) {
      await client.send(body.subarray(offset, Math.min(body.length, offset + (1 << 20))));
    }
    answered = await answer(client, timeoutMs);
  } finally {
    onBody(false);
  }
  const ms = performance.now() - started;
  if (!/^\d+$/.test(answered)) throw new Error(`FILE: not a count: '${answered.slice(0, 80)}'`);
  return { words: Number(answered), ms };
}
