/**
 * The load bench/compare.ts puts through a compute server: client
 * connections on 127.0.0.1 that send the Task 2 messages as separate writes
 * (TCP_NODELAY on, so Nagle's algorithm never holds a write back) and read
 * replies until they end with `_` and the connection's UUID.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One client connection with a receive buffer. */
export class Client {
  readonly #conn: Deno.TcpConn;
  readonly #buffer = new Uint8Array(64 * 1024);
  #text = "";
  #closed = false;
  /** The UUID the server gave this connection (after {@linkcode handshake}). */
  uuid = "";

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  /** Connects to 127.0.0.1:`port`. */
  static async connect(port: number): Promise<Client> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true);
    return new Client(conn);
  }

  /** Writes all of `data` (a string as UTF-8). */
  async write(data: string | Uint8Array): Promise<void> {
    let bytes = typeof data === "string" ? encoder.encode(data) : data;
    while (bytes.length > 0) bytes = bytes.subarray(await this.#conn.write(bytes));
  }

  /**
   * Reads until `done(text received so far)` and returns that text (the
   * buffer then starts empty). Throws when the server closes first or
   * nothing satisfies `done` within `timeoutMs` (the connection is closed).
   */
  async readUntil(done: (text: string) => boolean, timeoutMs: number): Promise<string> {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.close();
    }, timeoutMs);
    try {
      while (!done(this.#text)) {
        const n = await this.#conn.read(this.#buffer);
        if (n === null) throw new Error("the server closed the connection");
        this.#text += decoder.decode(this.#buffer.subarray(0, n));
      }
    } catch (error) {
      if (timedOut) throw new Error(`no complete reply within ${timeoutMs} ms`);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    const text = this.#text;
    this.#text = "";
    return text;
  }

  /** Reads one `answer_uuid` reply and returns the answer part. */
  async reply(timeoutMs: number): Promise<string> {
    const suffix = `_${this.uuid}`;
    const text = await this.readUntil((text) => text.endsWith(suffix), timeoutMs);
    return text.slice(0, -suffix.length);
  }

  /** Sends `name`, reads the 32-digit UUID, and keeps it. */
  async handshake(name: string, timeoutMs: number): Promise<string> {
    await this.write(name);
    const text = await this.readUntil((text) => text.length >= 32, timeoutMs);
    if (!/^[0-9a-f]{32}$/.test(text)) throw new Error(`not a UUID: '${text.slice(0, 60)}'`);
    this.uuid = text;
    return text;
  }

  /** Closes the connection (once). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
  }

  /** Sends `COMPLETE` (ignoring errors) and closes. */
  async finish(): Promise<void> {
    if (!this.#closed) await this.write("COMPLETE").catch(() => {});
    this.close();
  }
}

/**
 * Runs `task(i)` for i = 0..count-1 with at most `concurrency` at a time;
 * the results in order. The first error is thrown after all have settled.
 */
export async function pool<T>(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      try {
        results[index] = await task(index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failure) throw failure.error;
  return results;
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
    await pool(count, 64, async (index) => {
      const client = await Client.connect(port);
      clients.push(client);
      await client.handshake(`${prefix}${index + 1}`, timeoutMs);
    });
  } catch (error) {
    for (const client of clients) client.close();
    throw error;
  }
  return clients;
}

/** Sends COMPLETE on every client and closes them. */
export async function closeClients(clients: readonly Client[]): Promise<void> {
  await Promise.all(clients.map((client) => client.finish()));
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
        client.close();
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
 * The course client's request: `FIBONACCI`, a `pauseMs` pause, `n`; returns
 * the ms from the write of `n` to the whole reply. Throws on a wrong answer.
 */
export async function courseStyleRequest(
  client: Client,
  n: number,
  expected: string,
  pauseMs: number,
  timeoutMs: number,
): Promise<number> {
  await client.write("FIBONACCI");
  await sleep(pauseMs);
  const started = performance.now();
  await client.write(String(n));
  const answer = await client.reply(timeoutMs);
  const latency = performance.now() - started;
  if (answer !== expected) throw new Error(`FIBONACCI ${n}: expected ${expected}, got '${answer}'`);
  return latency;
}

/** `FIBONACCI n` as one write; returns the ms from the write to the whole reply. */
export async function oneWriteRequest(
  client: Client,
  n: number,
  expected: string,
  timeoutMs: number,
): Promise<number> {
  const started = performance.now();
  await client.write(`FIBONACCI ${n}`);
  const answer = await client.reply(timeoutMs);
  const latency = performance.now() - started;
  if (answer !== expected) throw new Error(`FIBONACCI ${n}: expected ${expected}, got '${answer}'`);
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
  await client.write("FILE");
  await sleep(5);
  await client.write(String(body.length));
  await sleep(gapMs + 50);
  onBody(true);
  const started = performance.now();
  let answer: string;
  try {
    for (let offset = 0; offset < body.length; offset += 1 << 20) {
      await client.write(body.subarray(offset, Math.min(body.length, offset + (1 << 20))));
    }
    answer = await client.reply(timeoutMs);
  } finally {
    onBody(false);
  }
  const ms = performance.now() - started;
  if (!/^\d+$/.test(answer)) throw new Error(`FILE: not a count: '${answer.slice(0, 80)}'`);
  return { words: Number(answer), ms };
}
