/**
 * `server --task=1`: the Task 1 grading server.
 *
 * @module
 */

import { type CommandSpec, formatHelp, parseCommandLine, parseIntegerFlag } from "./flags.ts";
import { UsageError } from "../net/errors.ts";
import { MAX_PLAINTEXT_SIZE, serveGrading } from "../task1/grading_server.ts";
import { loadRoster } from "../scores/roster.ts";
import { ScoreStore } from "../scores/score_store.ts";
import { onShutdownSignal } from "../net/shutdown.ts";

/** The grading server's command line. */
export const GRADING_SERVER_COMMAND: CommandSpec = {
  usage: "server --task=1 [--port=PORT] [--db=FILE] [--roster=FILE]",
  summary: [
    "Task 1 grading server. Checks each client's header, sends an XOR-encrypted",
    "random text, scores the decrypted reply (10/10/15/15) and, for keyword sbmt,",
    "keeps each student's best score in a SQLite database. Stop it with Ctrl+C.",
  ].join("\n"),
  flags: {
    port: {
      type: "string",
      value: "PORT",
      description: "Port to listen on (0: any free port)",
      default: "4000",
    },
    host: {
      type: "string",
      value: "HOST",
      description: "Listen on this address only",
      default: "all interfaces",
    },
    db: {
      type: "string",
      value: "FILE",
      description: "SQLite file for best scores",
      default: "scores.db",
    },
    roster: {
      type: "string",
      value: "FILE",
      description: "Allowed student ids, one per line",
      default: "none",
    },
    size: {
      type: "string",
      value: "BYTES",
      description: "Plaintext bytes per client",
      default: "25000",
    },
    timeout: {
      type: "string",
      value: "MS",
      description: "Longest wait for a client, in ms",
      default: "10000",
    },
  },
  examples: [
    "deno task server --task=1 --port=4000",
    "./server --task=1 --port=4000 --db=scores.db --roster=roster.txt",
  ],
};

/** Runs the grading server until SIGINT/SIGTERM; returns the exit code. */
export async function gradingServerMain(args: readonly string[]): Promise<number> {
  const flags = parseCommandLine(GRADING_SERVER_COMMAND, args);
  if (flags === undefined) {
    console.log(formatHelp(GRADING_SERVER_COMMAND));
    return 0;
  }
  const port = parseIntegerFlag("port", String(flags.port), 0, 65535);
  const plaintextSize = parseIntegerFlag("size", String(flags.size), 0, MAX_PLAINTEXT_SIZE);
  const timeoutMs = parseIntegerFlag("timeout", String(flags.timeout), 1, 3_600_000);
  const host = flags.host === "all interfaces" ? undefined : String(flags.host);
  if (host === "") throw new UsageError("--host must not be empty");
  const roster = flags.roster === "none" ? undefined : await loadRoster(String(flags.roster));
  using store = ScoreStore.open(String(flags.db));
  const server = serveGrading({ hostname: host, port, plaintextSize, timeoutMs, store, roster });
  const where = host ?? "all interfaces";
  const rosterNote = roster ? `, roster of ${roster.size}` : "";
  console.log(
    `Grading server listening on port ${server.port} (${where}); scores in ${flags.db}${rosterNote}`,
  );
  using _signals = onShutdownSignal(() => {
    console.log("Shutting down...");
    server.close();
  });
  await server.finished;
  return 0;
}
