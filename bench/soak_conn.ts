/**
 * A raw client connection for the soak (bench/soak.ts): every read and write
 * has a deadline, the receive side a cap, and every failure becomes a
 * {@linkcode SoakError} with its kind. Open connections are counted in a
 * {@linkcode Gauge} and registered in a set the run can close all at once.
 *
 * @module
 */

import { type ErrorKind, SoakError } from "./soak_report.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A count of things open now and the most ever open at once. */
export class Gauge {
  /** Open now. */
  now = 0;
  /** Most open at once. */
  peak = 0;

  /** One more is open. */
  up(): void {
    this.now++;
    if (this.now > this.peak) this.peak = this.now;
  }

  /** One fewer is open. */
  down(): void {
    this.now--;
  }
}

/** The kind of a failure thrown by Deno's socket calls. */
export function errorKind(error: unknown): ErrorKind {
  if (error instanceof SoakError) return error.kind;
  if (error instanceof Deno.errors.ConnectionRefused) return "connect";
  if (error instanceof Deno.errors.ConnectionReset) return "reset";
  if (error instanceof Deno.errors.BrokenPipe) return "reset";
  if (error instanceof Deno.errors.TimedOut) return "timeout";
  return "io";
}

/** Every connection open in a run, so that the run's time limit can close them all. */
export class OpenConns {
  readonly #conns = new Set<SoakConn>();
  #stopped = false;

  /** Connections open now. */
  get size(): number {
    return this.#conns.size;
  }

  /** Whether {@linkcode stop} was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Registers `conn`; closes it at once when the run was already stopped. */
  add(conn: SoakConn): void {
    if (this.#stopped) {
      conn.aborted = true;
      conn.close();
    } else this.#conns.add(conn);
  }

  /** Forgets `conn` (closed). */
  delete(conn: SoakConn): void {
    this.#conns.delete(conn);
  }

  /** Closes every connection, now and from now on. */
  stop(): void {
    this.#stopped = true;
    for (const conn of [...this.#conns]) {
      conn.aborted = true;
      conn.close();
    }
  }
}

/** What a soak connection shares with the rest of its run. */
export interface ConnScope {
  /** Counts this group's open connections. */
  gauge: Gauge;
  /** Every connection open in the run. */
  open: OpenConns;
}

/** One client connection to 127.0.0.1. */
export class SoakConn {
  readonly #conn: Deno.TcpConn;
  readonly #scope: ConnScope;
  readonly #buffer = new Uint8Array(4096);
  #closed = false;
  #timedOut = false;
  /** Closed from outside (the run's time limit). */
  aborted = false;

  private constructor(conn: Deno.TcpConn, scope: ConnScope) {
    this.#conn = conn;
    this.#scope = scope;
    scope.gauge.up();
  }

  /** Connects to 127.0.0.1:`port` within `timeoutMs`. */
  static async open(port: number, scope: ConnScope, timeoutMs: number): Promise<SoakConn> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port, signal: controller.signal });
      conn.setNoDelay(true);
      const soakConn = new SoakConn(conn, scope);
      scope.open.add(soakConn);
      if (soakConn.aborted) throw new SoakError("unfinished", "connected after the time limit");
      return soakConn;
    } catch (error) {
      if (controller.signal.aborted) {
        throw new SoakError("connect", `no connection within ${timeoutMs} ms`, { cause: error });
      }
      throw new SoakError("connect", `connect failed: ${error}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  async #deadline<T>(what: string, timeoutMs: number, work: Promise<T>): Promise<T> {
    const timer = setTimeout(() => {
      this.#timedOut = true;
      this.close();
    }, timeoutMs);
    try {
      return await work;
    } catch (error) {
      if (this.#timedOut) {
        throw new SoakError("timeout", `no progress within ${timeoutMs} ms ${what}`, {
          cause: error,
        });
      }
      if (this.aborted) {
        throw new SoakError("unfinished", `stopped at the time limit ${what}`, { cause: error });
      }
      throw new SoakError(errorKind(error), `${what}: ${error}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Writes all of `data` (a string as UTF-8) within `timeoutMs`. */
  write(data: string | Uint8Array, timeoutMs: number): Promise<void> {
    const bytes = typeof data === "string" ? encoder.encode(data) : data;
    return this.#deadline(
      "writing",
      timeoutMs,
      (async () => {
        let rest = bytes;
        while (rest.length > 0) rest = rest.subarray(await this.#conn.write(rest));
      })(),
    );
  }

  /** Closes the sending side (the server then reads end of stream). */
  async closeWrite(): Promise<void> {
    await this.#conn.closeWrite();
  }

  /**
   * Reads until `done(text so far)` and returns the text. Throws `closed`
   * when the server closes first, `timeout` when a single read waits over
   * `timeoutMs`, and `wrong-answer` past `capBytes`.
   */
  readUntil(
    done: (text: string) => boolean,
    timeoutMs: number,
    what: string,
    capBytes = 1 << 20,
  ): Promise<string> {
    return this.#deadline(
      what,
      timeoutMs,
      (async () => {
        let text = "";
        while (!done(text)) {
          const n = await this.#conn.read(this.#buffer);
          if (n === null) {
            throw new SoakError(
              "closed",
              `the server closed the connection ${what} (after '${text.slice(0, 80)}')`,
            );
          }
          text += decoder.decode(this.#buffer.subarray(0, n));
          if (text.length > capBytes) {
            throw new SoakError("wrong-answer", `over ${capBytes} bytes ${what}`);
          }
        }
        return text;
      })(),
    );
  }

  /** Reads exactly `count` bytes (at most 1 MiB); throws like {@linkcode readUntil}. */
  readBytes(count: number, timeoutMs: number, what: string): Promise<Uint8Array> {
    if (count > 1 << 20) throw new RangeError(`readBytes(${count}) is over the 1 MiB cap`);
    return this.#deadline(
      what,
      timeoutMs,
      (async () => {
        const bytes = new Uint8Array(count);
        let filled = 0;
        while (filled < count) {
          const n = await this.#conn.read(bytes.subarray(filled));
          if (n === null) {
            throw new SoakError(
              "closed",
              `the server closed the connection ${what} (${filled} bytes)`,
            );
          }
          filled += n;
        }
        return bytes;
      })(),
    );
  }

  /**
   * Reads until the server closes, for at most `waitMs` in all; returns the
   * first `keepBytes` bytes received, whether the server closed, and how it
   * ended. Never throws.
   */
  async drain(
    waitMs: number,
    keepBytes = 64 * 1024,
  ): Promise<{ bytes: Uint8Array; total: number; end: "closed" | "reset" | "open" | "error" }> {
    const kept = new Uint8Array(keepBytes);
    let total = 0;
    const timer = setTimeout(() => {
      this.#timedOut = true;
      this.close();
    }, waitMs);
    let end: "closed" | "reset" | "open" | "error" = "closed";
    try {
      for (;;) {
        const n = await this.#conn.read(this.#buffer);
        if (n === null) break;
        if (total < keepBytes) {
          kept.set(this.#buffer.subarray(0, Math.min(n, keepBytes - total)), total);
        }
        total += n;
      }
    } catch (error) {
      end = this.#timedOut || this.aborted
        ? "open"
        : errorKind(error) === "reset"
        ? "reset"
        : "error";
    } finally {
      clearTimeout(timer);
    }
    return { bytes: kept.slice(0, Math.min(total, keepBytes)), total, end };
  }

  /** Closes the connection (once). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#scope.gauge.down();
    this.#scope.open.delete(this);
    try {
      this.#conn.close();
    } catch {
      // Already closed by Deno after an error.
    }
  }

  /** Same as {@linkcode close}. */
  [Symbol.dispose](): void {
    this.close();
  }
}
