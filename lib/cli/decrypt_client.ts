/**
 * `client` in its Task 1 role: the decryption client, with the course's
 * command line and output.
 *
 * @module
 */

import { PCAP_FLAG, withPcap } from "./pcap_flag.ts";
import { describeError } from "../net/errors.ts";
import type { Logger } from "../net/logger.ts";
import { showText } from "../net/peer_text.ts";
import {
  DEFAULT_CLIENT_SESSION_MS,
  DEFAULT_MAX_DATA_BYTES,
  DEFAULT_MAX_PACKETS,
  runDecryptClient,
} from "../task1/client/decrypt_client.ts";
import { isClientKeyword, SUBMIT_KEYWORD } from "../task1/protocol/keyword.ts";
import { SHUTDOWN_PREFIX } from "../task1/protocol/rubric.ts";
import { type Command, flag, type FlagSpecs } from "./flags.ts";
import { runCommand } from "./main.ts";
import { CLIENT_ROLES } from "./task_select.ts";
import { UsageError } from "./usage_error.ts";

const FLAGS = {
  host: flag.string({ value: "HOST", description: "Grading server address", required: true }),
  port: flag.port({ description: "Grading server port", required: true }),
  studentID: flag.studentId({ description: "Your 8-digit student id", required: true }),
  keyword: flag.string({
    value: "WORD",
    description: `${SUBMIT_KEYWORD} stores the score; other 4 lowercase letters: test run`,
    default: SUBMIT_KEYWORD,
  }),
  style: flag.choice(["per-packet", "rechunk"], {
    value: "STYLE",
    description: "per-packet (one reply per packet) or rechunk (re-cut into full packets)",
    default: "per-packet",
  }),
  timeout: flag.integer({
    value: "MS",
    description: "Longest wait for the server, in ms",
    min: 1,
    max: 3_600_000,
    default: 10_000,
  }),
  deadline: flag.integer({
    value: "MS",
    description: "Longest time for the whole exchange, in ms",
    min: 1,
    max: 86_400_000,
    default: DEFAULT_CLIENT_SESSION_MS,
  }),
  "max-bytes": flag.integer({
    value: "BYTES",
    description: "Most data bytes accepted from the server",
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    default: DEFAULT_MAX_DATA_BYTES,
  }),
  "max-packets": flag.integer({
    value: "N",
    description: "Most data packets accepted from the server",
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    default: DEFAULT_MAX_PACKETS,
  }),
  trace: flag.switch({ description: "Show every packet, both ways, on stderr" }),
  pcap: PCAP_FLAG,
};

const COMMAND: Command<typeof FLAGS> = {
  usage: "client --host=HOST --port=PORT --studentID=ID [--keyword=WORD]",
  summary: [
    "Task 1 decryption client. Sends a header to the grading server, decrypts the",
    "packets it sends (XOR with the key they carry), sends the plaintext back and",
    "prints the result packet. Exit code 0 only on GOOD.",
  ].join("\n"),
  flags: FLAGS,
  examples: [
    "deno task client --host=127.0.0.1 --port=4000 --studentID=20200000",
    "./client --host=127.0.0.1 --port=4000 --studentID=20200000 --keyword=test",
  ],
  roles: CLIENT_ROLES,
};

/** The Task 1 client's command line. */
export const DECRYPT_CLIENT_COMMAND: Command<FlagSpecs> = COMMAND;

/**
 * Runs the Task 1 client with command-line `args`; returns the exit code.
 * Lines go to `print`, `console.log` by default.
 *
 * @example
 * ```ts
 * import { decryptClientMain } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * assert.equal(await decryptClientMain(["--help"], (line) => lines.push(line)), 0);
 * assert.match(lines[0]!, /--studentID=ID/);
 * ```
 */
export function decryptClientMain(
  args: readonly string[],
  print: Logger = console.log,
): Promise<number> {
  return runCommand(COMMAND, args, async (flags) => {
    if (!isClientKeyword(flags.keyword)) {
      throw new UsageError(`--keyword must be 4 lowercase letters, got '${flags.keyword}'`);
    }
    let result;
    try {
      result = await withPcap(flags.pcap, (capture) =>
        runDecryptClient({
          hostname: flags.host,
          port: flags.port,
          studentId: flags.studentID,
          keyword: flags.keyword,
          style: flags.style,
          timeoutMs: flags.timeout,
          sessionLimitMs: flags.deadline,
          maxBytes: flags["max-bytes"],
          maxPackets: flags["max-packets"],
          trace: flags.trace ? (line) => console.error(`trace ${line}`) : undefined,
          capture,
        }));
    } catch (error) {
      // Messages may quote the server: escaped, on one line.
      throw new Error(showText(describeError(error)), { cause: error });
    }
    // Everything below came from the server: escaped before it is printed.
    if (result.keyword === "FAIL" && result.message.startsWith(SHUTDOWN_PREFIX)) {
      print(`The server shut down during your session: ${showText(result.message)}`);
      return 1;
    }
    print(
      `KEY: ${showText(result.keyword)}\nScore: ${result.score}\nMessage: ${
        showText(result.message)
      }`,
    );
    return result.keyword === "GOOD" ? 0 : 1;
  }, print);
}
