/**
 * `client` in its Task 1 role: the decryption client, with the course's
 * command line and output.
 *
 * @module
 */

import {
  type CommandSpec,
  formatHelp,
  parseCommandLine,
  parseIntegerFlag,
  parsePortFlag,
  parseStudentIdFlag,
} from "./flags.ts";
import { runDecryptClient } from "../task1/decrypt_client.ts";
import { UsageError } from "../net/errors.ts";

/** The Task 1 client's command line. */
export const DECRYPT_CLIENT_COMMAND: CommandSpec = {
  usage: "client --host=HOST --port=PORT --studentID=ID [--keyword=WORD]",
  summary: [
    "Task 1 decryption client. Sends a header to the grading server, decrypts the",
    "packets it sends (XOR with the key they carry), sends the plaintext back and",
    "prints the result packet. Exit code 0 only on GOOD. With --submit=... or",
    "--task=2 this program is the Task 2 test client instead (see --task=2 --help).",
  ].join("\n"),
  flags: {
    host: { type: "string", value: "HOST", description: "Grading server address", required: true },
    port: { type: "string", value: "PORT", description: "Grading server port", required: true },
    studentID: {
      type: "string",
      value: "ID",
      description: "Your 8-digit student id",
      required: true,
    },
    keyword: {
      type: "string",
      value: "WORD",
      description: "sbmt stores the score; other 4 lowercase letters: test run",
      default: "sbmt",
    },
    style: {
      type: "string",
      value: "STYLE",
      description: "per-packet (reply as packets arrive) or rechunk (reply at the end)",
      default: "per-packet",
    },
    timeout: {
      type: "string",
      value: "MS",
      description: "Longest wait for the server, in ms",
      default: "10000",
    },
  },
  examples: [
    "deno task client --host=127.0.0.1 --port=4000 --studentID=20200000",
    "./client --host=127.0.0.1 --port=4000 --studentID=20200000 --keyword=test",
  ],
};

/** Runs the Task 1 client with command-line `args`; returns the exit code. */
export async function decryptClientMain(args: readonly string[]): Promise<number> {
  const flags = parseCommandLine(DECRYPT_CLIENT_COMMAND, args);
  if (flags === undefined) {
    console.log(formatHelp(DECRYPT_CLIENT_COMMAND));
    return 0;
  }
  const keyword = String(flags.keyword);
  if (!/^[a-z]{4}$/.test(keyword)) {
    throw new UsageError(`--keyword must be 4 lowercase letters, got '${keyword}'`);
  }
  const style = String(flags.style);
  if (style !== "per-packet" && style !== "rechunk") {
    throw new UsageError(`--style must be per-packet or rechunk, got '${style}'`);
  }
  const host = String(flags.host);
  if (host === "") throw new UsageError("--host must not be empty");
  const result = await runDecryptClient({
    hostname: host,
    port: parsePortFlag(String(flags.port)),
    studentId: parseStudentIdFlag(String(flags.studentID)),
    keyword,
    style,
    timeoutMs: parseIntegerFlag("timeout", String(flags.timeout), 1, 3_600_000),
  });
  console.log(`KEY: ${result.keyword}\nScore: ${result.score}\nMessage: ${result.message}`);
  return result.keyword === "GOOD" ? 0 : 1;
}
