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
 * A logger that collects lines and writes them with one write per turn of
 * the event loop (or once `maxBytes` are waiting), in order: logging a line
 * per request then costs a string append, not a system call.
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
  let timer: ReturnType<typeof setTimeout> | undefined;
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending !== "") {
      let bytes = encoder.encode(pending);
      pending = "";
      writing = writing.then(async () => {
        while (bytes.length > 0) bytes = bytes.subarray(await sink.write(bytes));
      }).catch((error) => {
        // The log itself cannot take the line: say so where it still can.
        console.error(`Cannot write the log: ${error instanceof Error ? error.message : error}`);
      });
    }
    return writing;
  };
  const log = (line: string) => {
    pending += line + "\n";
    if (pending.length >= maxBytes) void flush();
    else if (timer === undefined) timer = setTimeout(flush, 0);
  };
  return Object.assign(log, { flush });
}
