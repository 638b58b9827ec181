/**
 * `server --task=1`: the Task 1 grading server.
 *
 * @module
 */

import { PCAP_FLAG, withPcap } from "./pcap_flag.ts";
import { KEEP_ATTEMPTS_FLAG } from "./history_flag.ts";
import type { Logger } from "../net/logger.ts";
import { onShutdownSignal } from "../net/shutdown.ts";
import { loadRoster } from "../scores/roster.ts";
import { ScoreStore } from "../scores/score_store.ts";
import { DEFAULT_GRADING_CONNECTIONS, serveGrading } from "../task1/grading/grading_server.ts";
import { staffPageHooks } from "./staff_page.ts";
import {
  DEFAULT_DRAIN_MS,
  DEFAULT_PLAINTEXT_SIZE,
  DEFAULT_READ_TIMEOUT_MS,
  MAX_PLAINTEXT_SIZE,
} from "../task1/grading/grading_options.ts";
import { type Command, flag, type FlagSpecs } from "./flags.ts";
import { runCommand } from "./main.ts";
import { SERVER_ROLES } from "./task_select.ts";

const FLAGS = {
  port: flag.port({
    description: "Port to listen on (0: any free port)",
    default: 4000,
    allowZero: true,
  }),
  host: flag.string({
    value: "HOST",
    description: "Listen on this address only",
    defaultText: "all interfaces",
  }),
  db: flag.string({
    value: "FILE",
    description: "SQLite file for best scores",
    default: "scores.db",
  }),
  roster: flag.string({
    value: "FILE",
    description: "Allowed student ids, one per line",
    defaultText: "none",
  }),
  size: flag.integer({
    value: "BYTES",
    description: "Plaintext bytes per client",
    min: 0,
    max: MAX_PLAINTEXT_SIZE,
    default: DEFAULT_PLAINTEXT_SIZE,
  }),
  timeout: flag.integer({
    value: "MS",
    description: "Longest wait for a client, in ms",
    min: 1,
    max: 3_600_000,
    default: DEFAULT_READ_TIMEOUT_MS,
  }),
  "max-connections": flag.integer({
    description: "Connections graded at once; more get a FAIL 'SERVER BUSY' packet",
    min: 1,
    max: 1_000_000,
    default: DEFAULT_GRADING_CONNECTIONS,
  }),
  drain: flag.integer({
    value: "MS",
    description: "After a FAIL, read on this long (or to flag 1) before answering",
    min: 0,
    max: 60_000,
    default: DEFAULT_DRAIN_MS,
  }),
  grace: flag.integer({
    value: "MS",
    description: "On SIGTERM/SIGINT, time open sessions get to finish; then each is answered " +
      "a FAIL result saying the server is shutting down",
    min: 0,
    max: 60_000,
    default: 3000,
  }),
  workers: flag.integer({
    description: "Threads that accept and grade connections (Linux; elsewhere 1); they share " +
      "--max-connections and the one score database",
    min: 1,
    max: 256,
    defaultText: "CPU cores on Linux, else 1",
  }),
  trace: flag.switch({ description: "Show every packet, both ways, on stderr" }),
  pcap: PCAP_FLAG,
  http: flag.port({
    description: "Serve the read-only staff page on this port (0: any free port)",
    allowZero: true,
    defaultText: "off",
  }),
  "http-host": flag.string({
    value: "HOST",
    description: "Address of the staff page; expose it through a reverse proxy",
    default: "127.0.0.1",
  }),
  "http-name": flag.string({
    value: "NAMES",
    description: "Host names the staff page answers to besides its address and localhost " +
      "(comma-separated; a reverse proxy's name); any other Host gets 421",
    default: "",
  }),
  "mask-ids": flag.switch({ description: "Staff page shows only the last 3 digits of ids" }),
  attempts: flag.integer({
    description: "Recent attempts the staff page lists",
    min: 1,
    max: 10_000,
    default: 50,
  }),
  "keep-attempts": KEEP_ATTEMPTS_FLAG,
};

const COMMAND: Command<typeof FLAGS> = {
  usage: "server --task=1 [--port=PORT] [--db=FILE] [--roster=FILE]",
  summary: [
    "Task 1 grading server. Checks each client's header, sends an XOR-encrypted",
    "random text, scores the decrypted reply (10/10/15/15) and, for keyword sbmt,",
    "keeps each student's best score in a SQLite database. Stop it with Ctrl+C.",
  ].join("\n"),
  flags: FLAGS,
  examples: [
    "deno task server --task=1 --port=4000",
    "./server --task=1 --port=4000 --db=scores.db --roster=roster.txt",
    "./server --task=1 --port=4000 --http=8080 --mask-ids",
  ],
  roles: SERVER_ROLES,
};

/** The grading server's command line. */
export const GRADING_SERVER_COMMAND: Command<FlagSpecs> = COMMAND;

/**
 * Runs the grading server until SIGINT/SIGTERM; returns the exit code. Lines
 * go to `log`, `console.log` by default.
 *
 * @example
 * ```ts
 * import { gradingServerMain } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * assert.equal(await gradingServerMain(["--help"], (line) => lines.push(line)), 0);
 * assert.match(lines[0]!, /--roster=FILE/);
 * ```
 */
export function gradingServerMain(
  args: readonly string[],
  log: Logger = console.log,
): Promise<number> {
  return runCommand(COMMAND, args, async (flags) => {
    const roster = flags.roster === undefined ? undefined : await loadRoster(flags.roster);
    await using store = await ScoreStore.open(flags.db);
    await using staff = staffPageHooks(store, flags, log, roster);
    return await withPcap(flags.pcap, async (capture) => {
      const server = serveGrading({
        ...staff.hooks,
        capture,
        hostname: flags.host,
        port: flags.port,
        plaintextSize: flags.size,
        timeoutMs: flags.timeout,
        drainMs: flags.drain,
        maxConnections: flags["max-connections"],
        workers: flags.workers ?? (Deno.build.os === "linux" ? navigator.hardwareConcurrency : 1),
        trace: flags.trace ? (line) => console.error(`trace ${line}`) : undefined,
        store,
        roster,
        log,
      });
      const where = flags.host ?? "all interfaces";
      const rosterNote = roster ? `, roster of ${roster.size}` : "";
      const threads = server.threads > 1 ? `, ${server.threads} threads` : "";
      log(
        `Grading server listening on port ${server.port} (${where}${threads}); ` +
          `scores in ${flags.db}${rosterNote}`,
      );
      if (staff.page !== undefined) log(`Staff page at ${staff.page.url} (read-only)`);
      using _signals = onShutdownSignal(() => {
        log("Shutting down...");
        void server.close({ graceMs: flags.grace, goodbyeMs: 1000 });
      });
      await server.finished;
      return 0;
    }, log);
  }, log);
}
