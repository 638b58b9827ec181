/**
 * Graceful shutdown on Ctrl+C (and SIGTERM where the platform has it).
 *
 * @module
 */

/**
 * Calls `stop` once when the process gets SIGINT, or SIGTERM outside
 * Windows (which has no SIGTERM). Dispose the result to stop listening.
 *
 * @example
 * ```ts
 * import { onShutdownSignal } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * let stopped = false;
 * {
 *   using _signals = onShutdownSignal(() => { stopped = true; });
 * }
 * assert.equal(stopped, false);
 * ```
 */
export function onShutdownSignal(stop: (signal: Deno.Signal) => void): Disposable {
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  let fired = false;
  const handlers = signals.map((signal) => {
    const handler = () => {
      if (fired) return;
      fired = true;
      stop(signal);
    };
    Deno.addSignalListener(signal, handler);
    return [signal, handler] as const;
  });
  return {
    [Symbol.dispose]() {
      for (const [signal, handler] of handlers) Deno.removeSignalListener(signal, handler);
    },
  };
}
