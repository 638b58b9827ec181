/**
 * What the soak's clients share (bench/soak_run.ts, bench/soak_malformed.ts):
 * failures sorted by kind and their tally, the seeded random source, and
 * the run's connections (the test suite's raw Task 2 client, counted, all
 * closed at the run's time limit) with the name/UUID handshake and the
 * reading of one reply.
 *
 * @module
 */

import {
  ConnectionError,
  ProtocolError,
  showText,
  TimeoutError,
  TruncatedError,
} from "@cs341/practice2/net";
import { type RawPeer, rawPeer } from "../tests/helpers/task2_peer.ts";

/** The kinds of failure a well-formed client can meet. */
export type ErrorKind = typeof ERROR_KINDS[number];
const ERROR_KINDS = [
  ...["connect", "timeout", "closed", "reset", "io", "bad-uuid", "wrong-answer", "error-reply"],
  ...["not-closed", "bad-score", "not-stored", "protocol", "unfinished"],
] as const;

/** A failure with its kind, thrown by the soak's clients. */
export class SoakError extends Error {
  override name = "SoakError";

  /** A `kind` failure described by `message`. */
  constructor(readonly kind: ErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** The kind of a failure thrown by a {@linkcode RawPeer}, `runDecryptClient` or a socket call. */
export function errorKind(error: unknown): ErrorKind {
  if (error instanceof SoakError) return error.kind;
  if (error instanceof TimeoutError || error instanceof Deno.errors.TimedOut) return "timeout";
  if (error instanceof ConnectionError || error instanceof Deno.errors.ConnectionRefused) {
    return "connect";
  }
  if (error instanceof TruncatedError || error instanceof Deno.errors.UnexpectedEof) {
    return "closed";
  }
  if (error instanceof ProtocolError) return "protocol";
  if (error instanceof RangeError) return "wrong-answer";
  const reset = error instanceof Deno.errors.ConnectionReset ||
    error instanceof Deno.errors.BrokenPipe;
  return reset ? "reset" : "io";
}

/** Counts by label, remembering the first detail seen for each. */
export class Tally {
  readonly #counts = new Map<string, { count: number; example: string }>();

  /** Counts one `label`; the first `detail` per label is kept (escaped, at most 100 chars). */
  add(label: string, detail = ""): void {
    const entry = this.#counts.get(label);
    if (entry) entry.count++;
    else this.#counts.set(label, { count: 1, example: showText(detail).slice(0, 100) });
  }

  /** The sum of all counts. */
  get total(): number {
    return this.entries().reduce((sum, entry) => sum + entry.count, 0);
  }

  /** Label, count and example, most frequent first (then by label). */
  entries(): { label: string; count: number; example: string }[] {
    return [...this.#counts].map(([label, entry]) => ({ label, ...entry }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  }
}

/** A count of things open now and the most ever open at once. */
export class Gauge {
  /** Open now. */
  now = 0;
  /** Most open at once. */
  peak = 0;

  /** One more is open (`+1`) or one fewer (`-1`). */
  step(by: 1 | -1): void {
    this.now += by;
    this.peak = Math.max(this.peak, this.now);
  }
}

/**
 * Every connection open in a run, so that the run's time limit can close
 * them all: each is a {@linkcode RawPeer}, counted in a {@linkcode Gauge}
 * until it is disposed.
 */
export class OpenConns {
  readonly #peers = new Set<RawPeer>();
  /** Whether the run's time limit has closed every connection. */
  stopped = false;

  /** Connections open now. */
  get size(): number {
    return this.#peers.size;
  }

  /** Connects to 127.0.0.1:`port` within `timeoutMs`; closed at once when already stopped. */
  async open(port: number, gauge: Gauge, timeoutMs: number): Promise<RawPeer> {
    const peer = await rawPeer(port, "127.0.0.1", timeoutMs).catch((error) => {
      throw new SoakError("connect", `connect failed: ${error}`, { cause: error });
    });
    const close = peer[Symbol.dispose];
    peer[Symbol.dispose] = () => {
      if (!this.#peers.delete(peer)) return;
      gauge.step(-1);
      close();
    };
    gauge.step(1);
    this.#peers.add(peer);
    if (this.stopped) peer[Symbol.dispose]();
    return peer;
  }

  /** Closes every connection, now and from now on. */
  stop(): void {
    this.stopped = true;
    for (const peer of [...this.#peers]) peer[Symbol.dispose]();
  }
}

/**
 * Reads one reply ending in `_uuid` and returns the answer before it:
 * `closed` when the server closes first, `wrong-answer` past `capBytes` or
 * for another UUID.
 */
export async function replyTo(
  peer: RawPeer,
  uuid: string,
  timeoutMs: number,
  capBytes = 1 << 20,
): Promise<string> {
  const text = await peer.reply(timeoutMs, capBytes);
  if (text.endsWith(`_${uuid}`)) return text.slice(0, -uuid.length - 1);
  const start = `'${text.slice(0, 80)}'`;
  throw /_[0-9a-f]{32}$/.test(text)
    ? new SoakError("wrong-answer", `another UUID: ${start}`)
    : new SoakError("closed", `the server closed the connection (after ${start})`);
}
