/**
 * The logger both servers take: a function that receives one line per event.
 * Programs pass a console-backed one; tests pass one that collects lines.
 *
 * @module
 */

/**
 * Receives one log line, without its line break.
 *
 * @example
 * ```ts
 * import { type Logger, serveTcp } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * const log: Logger = (line) => lines.push(line);
 * await using _service = serveTcp({ hostname: "127.0.0.1" }, async () => {}, { log });
 * assert.deepEqual(lines, []);
 * ```
 */
export type Logger = (line: string) => void;

/** A {@linkcode Logger} that batches lines; flush it before exiting. */
export interface BatchLogger extends Logger {
  /** Writes every line logged so far; resolves once they are written. */
  flush(): Promise<void>;
}

/** Where a {@linkcode batchLogger} writes: `Deno.stdout` by default. */
export interface LogSink {
  /** Writes some of `bytes` and resolves how many. */
  write(bytes: Uint8Array): Promise<number>;
}

/**
 * A logger that collects lines and writes them behind: one write at a time,
 * of every line logged since the last one began (whole lines, at most
 * `maxBytes` characters a write unless one line is longer), in order. Logging a line per request then costs a
 * string append, not a system call, and the busier the server, the more
 * lines share a write. No timer: a server at rest holds none (the first
 * `setTimeout` of a Deno process costs it some 3 MiB).
 *
 * @example
 * ```ts
 * import { batchLogger } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const writes: string[] = [];
 * const sink = {
 *   write: (bytes: Uint8Array) => (writes.push(new TextDecoder().decode(bytes)), Promise.resolve(bytes.length)),
 * };
 * const log = batchLogger(sink);
 * log("one");
 * log("two");
 * await log.flush();
 * assert.deepEqual(writes, ["one\ntwo\n"]);
 * ```
 */
export function batchLogger(sink: LogSink = Deno.stdout, maxBytes = 64 * 1024): BatchLogger {
  const encoder = new TextEncoder();
  let pending = "";
  let draining: Promise<void> | undefined;
  const drain = async () => {
    // The rest of this turn's lines join the first write.
    await Promise.resolve();
    try {
      while (pending !== "") {
        // Whole lines: up to the last line end within maxBytes, or one longer line.
        const cut = pending.length <= maxBytes
          ? pending.length
          : pending.lastIndexOf("\n", maxBytes - 1) + 1 || pending.indexOf("\n") + 1;
        const text = pending.slice(0, cut);
        pending = pending.slice(cut);
        try {
          let bytes = encoder.encode(text);
          while (bytes.length > 0) bytes = bytes.subarray(await sink.write(bytes));
        } catch (error) {
          // The log itself cannot take the lines: say so where it still can.
          console.error(`Cannot write the log: ${error instanceof Error ? error.message : error}`);
        }
      }
    } finally {
      draining = undefined;
    }
  };
  const log = (line: string) => {
    pending += line + "\n";
    draining ??= drain();
  };
  const flush = () => draining ?? Promise.resolve();
  return Object.assign(log, { flush });
}
