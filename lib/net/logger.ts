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
