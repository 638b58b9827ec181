/**
 * `--pcap=FILE` for every role: the flag, and the run around it that
 * records the TCP exchanges and writes the capture when the run ends.
 *
 * @module
 */

import { describeError } from "../net/errors.ts";
import type { Logger } from "../net/logger.ts";
import type { PcapCapture } from "../net/pcap.ts";
import { flag } from "./flags.ts";
import { UsageError } from "./usage_error.ts";

/** The `--pcap=FILE` flag, the same in every role. */
export const PCAP_FLAG: ReturnType<typeof flag.string> = flag.string({
  value: "FILE",
  description:
    "Write the run's TCP exchanges to FILE as a capture Wireshark and tshark open (docs/wireshark.md)",
});

/**
 * Runs `run` with a fresh {@linkcode PcapCapture} when `path` is given (or
 * with none, at no cost, when it is not), and writes the capture to `path`
 * once the run ends, however it ends. FILE is created first, so a path
 * that cannot be written is a usage error before anything runs. One line
 * to `note` (standard error by default) says what was written and whether
 * the cap cut it short.
 *
 * @example
 * ```ts
 * import { withPcap } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile({ suffix: ".pcap" });
 * const notes: string[] = [];
 * const kept = await withPcap(path, (capture) => {
 *   const conn = capture!.connection(40000, 4000);
 *   conn.record("client-to-server", new TextEncoder().encode("Client1"));
 *   conn.close();
 *   return Promise.resolve(capture!.recordedBytes);
 * }, (line) => notes.push(line));
 * assert.equal(kept, 7);
 * assert.equal((await Deno.readFile(path)).length > 24, true);
 * assert.match(notes[0]!, /^pcap: 1 connection, 7 payload bytes written to /);
 * await Deno.remove(path);
 * assert.equal(await withPcap(undefined, (capture) => Promise.resolve(capture)), undefined);
 * ```
 */
export async function withPcap<T>(
  path: string | undefined,
  run: (capture: PcapCapture | undefined) => Promise<T>,
  note: Logger = console.error,
): Promise<T> {
  if (path === undefined) return await run(undefined);
  try {
    await Deno.writeFile(path, new Uint8Array());
  } catch (error) {
    throw new UsageError(`--pcap cannot write ${path}: ${describeError(error)}`, { cause: error });
  }
  // Loaded only when asked for: a run without --pcap holds none of it.
  const { PcapCapture } = await import("../net/pcap.ts");
  const capture = new PcapCapture();
  try {
    return await run(capture);
  } finally {
    await capture.writeFile(path);
    const cut = capture.truncated
      ? `; TRUNCATED: ${capture.droppedBytes} bytes over the capture's cap were left out`
      : "";
    const conns = capture.connections === 1 ? "1 connection" : `${capture.connections} connections`;
    note(`pcap: ${conns}, ${capture.recordedBytes} payload bytes written to ${path}${cut}`);
  }
}
