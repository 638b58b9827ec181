/**
 * Progress for long runs, one mechanism for every program: on a terminal a
 * live line rewritten in place; when piped, one line per stage. Ctrl-C
 * (SIGINT) prints what was measured so far and exits non-zero.
 *
 * @module
 */

/** Where progress goes and whether it is a terminal. */
export interface ProgressSink {
  /** Writes text as is (no newline added). */
  write(text: string): void;
  /** True on a terminal: the live line is rewritten in place. */
  isTerminal: boolean;
}

/** Live progress of one run. */
export interface Progress extends Disposable {
  /** Starts a stage: a line of its own, on a terminal and when piped. */
  stage(text: string): void;
  /** Updates the live line (on a terminal only; piped output shows stages). */
  update(text: string): void;
  /** A step of a counted run: the live line on a terminal, a line of its own when piped. */
  step(text: string): void;
  /** Ends the live line. */
  done(): void;
}

/**
 * Progress on standard error, live when standard error is a terminal.
 *
 * @example
 * ```ts no-assert
 * import { stderrSink } from "@cs341/practice2/cli";
 *
 * const sink = stderrSink();
 * console.log(sink.isTerminal ? "live progress line" : "one line per stage");
 * ```
 */
export function stderrSink(): ProgressSink {
  const encoder = new TextEncoder();
  return {
    write: (text) => void Deno.stderr.writeSync(encoder.encode(text)),
    isTerminal: Deno.stderr.isTerminal(),
  };
}

/**
 * Creates progress on `sink` (standard error by default).
 *
 * @example
 * ```ts
 * import { createProgress } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * let out = "";
 * const progress = createProgress({ write: (text) => out += text, isTerminal: false });
 * progress.stage("case 1/2: hello");
 * progress.update("3 of 10 messages");
 * progress.stage("case 2/2: bye");
 * progress.step("[1/9] 20200000");
 * progress.done();
 * assert.equal(out, "case 1/2: hello\ncase 2/2: bye\n[1/9] 20200000\n");
 * ```
 */
export function createProgress(sink: ProgressSink = stderrSink()): Progress {
  let live = false;
  const clear = () => {
    if (live) sink.write("\r\x1b[2K");
    live = false;
  };
  const progress: Progress = {
    stage(text) {
      clear();
      sink.write(`${text}\n`);
    },
    update(text) {
      if (!sink.isTerminal) return;
      sink.write(`\r\x1b[2K${text}`);
      live = true;
    },
    step(text) {
      if (sink.isTerminal) progress.update(text);
      else progress.stage(text);
    },
    done: clear,
    [Symbol.dispose]: () => clear(),
  };
  return progress;
}

/**
 * On Ctrl-C (SIGINT), prints `summary()` (what was measured so far) to
 * standard error and exits with `code` (130, as shells report SIGINT, by
 * default). Dispose the result to remove the handler.
 *
 * @example
 * ```ts no-assert
 * import { onInterrupt } from "@cs341/practice2/cli";
 *
 * let done = 0;
 * using _interrupt = onInterrupt(() => `interrupted after ${done} cases`);
 * done++;
 * ```
 */
export function onInterrupt(summary: () => string, code = 130): Disposable {
  const handler = () => {
    console.error(`\n${summary()}`);
    Deno.exit(code);
  };
  Deno.addSignalListener("SIGINT", handler);
  return { [Symbol.dispose]: () => Deno.removeSignalListener("SIGINT", handler) };
}
