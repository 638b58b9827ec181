/**
 * `server` (the default role): the Task 2 compute server.
 *
 * @module
 */

import { PCAP_FLAG, withPcap } from "./pcap_flag.ts";
import { batchLogger, type Logger } from "../net/logger.ts";
import { onShutdownSignal } from "../net/shutdown.ts";
import { serveCompute } from "../task2/server/compute_server.ts";
import {
  DEFAULT_GAP_MS,
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_SESSION_LIMIT_MS,
} from "../task2/server/compute_options.ts";
import { FACTORIAL_LIMIT, FIBONACCI_LIMIT } from "../task2/compute/compute.ts";
import { DEFAULT_MAX_CONNECTIONS } from "../task2/server/compute_server.ts";
import { FRAMINGS } from "../task2/protocol/tokens.ts";
import { type Command, flag, type FlagSpecs } from "./flags.ts";
import { runCommand } from "./main.ts";
import { SERVER_ROLES } from "./task_select.ts";
import { UsageError } from "./usage_error.ts";

const FLAGS = {
  port: flag.port({
    description: "Port to listen on (0: any free port)",
    default: 1234,
    allowZero: true,
  }),
  host: flag.string({
    value: "HOST",
    description: "Listen on this address only",
    defaultText: "all interfaces",
  }),
  framing: flag.choice(FRAMINGS, {
    description: "What ends a name or number: the end of the client's write, or a pause",
    default: "writes",
  }),
  gap: flag.integer({
    value: "MS",
    description: "A pause this long ends a name or number when only a pause can tell",
    min: 1,
    max: 60_000,
    default: DEFAULT_GAP_MS,
  }),
  timeout: flag.integer({
    value: "MS",
    description: "Close a connection idle this long mid-conversation",
    min: 1,
    max: 3_600_000,
    default: DEFAULT_IDLE_TIMEOUT_MS,
  }),
  "session-limit": flag.integer({
    value: "MS",
    description: "Close a connection that has been open this long",
    min: 1,
    max: 86_400_000,
    default: DEFAULT_SESSION_LIMIT_MS,
  }),
  "max-connections": flag.integer({
    description: "Connections at once; more get one ERROR line and are closed",
    min: 1,
    max: 1_000_000,
    default: DEFAULT_MAX_CONNECTIONS,
  }),
  "fib-limit": flag.integer({
    value: "N",
    description: "Largest n of FIBONACCI; above it the reply is an ERROR",
    min: 0,
    max: 100_000_000,
    default: FIBONACCI_LIMIT,
  }),
  "fact-limit": flag.integer({
    value: "N",
    description: "Largest n of FACTORIAL; above it the reply is an ERROR",
    min: 0,
    max: 10_000_000,
    default: FACTORIAL_LIMIT,
  }),
  "compute-queue": flag.integer({
    description: "Large computations that may wait for a worker; more get ERROR busy",
    min: 0,
    max: 100_000,
    default: 64,
  }),
  workers: flag.integer({
    description: "Threads that accept connections (Linux; elsewhere 1)",
    min: 1,
    max: 256,
    defaultText: "CPU cores on Linux, else 1",
  }),
  quiet: flag.switch({ description: "No log line per request (server faults are still logged)" }),
  trace: flag.switch({ description: "Log every message in and out, with its time" }),
  pcap: PCAP_FLAG,
  once: flag.switch({
    description: "Exit once a batch of clients has sent COMPLETE and all have left",
  }),
};

const COMMAND: Command<typeof FLAGS> = {
  usage: "server [--port=PORT] [--host=HOST] [--once] [--quiet|--trace] [limits...]",
  summary: [
    "Task 2 compute server. Gives each client uuid3(NAMESPACE_DNS, name), then answers",
    "FIBONACCI n, FACTORIAL n and FILE (or WORD_COUNT) length body with answer_uuid, for",
    "many clients at once, until each sends COMPLETE. Stop it with Ctrl+C.",
  ].join("\n"),
  flags: FLAGS,
  examples: ["deno task server --port=1234", "./server --port=1234 --once"],
  roles: SERVER_ROLES,
};

/** The compute server's command line. */
export const COMPUTE_SERVER_COMMAND: Command<FlagSpecs> = COMMAND;

/**
 * Runs the compute server until SIGINT/SIGTERM (or, with `--once`, until
 * the first batch of clients is done); returns the exit code. Lines go to
 * `log`, `console.log` by default.
 *
 * @example
 * ```ts
 * import { computeServerMain } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * assert.equal(await computeServerMain(["--help"], (line) => lines.push(line)), 0);
 * assert.match(lines[0]!, /--once/);
 * ```
 */
export function computeServerMain(
  args: readonly string[],
  log?: Logger,
): Promise<number> {
  // Programs log through a batch logger: one write per event-loop turn.
  const batched = log === undefined ? batchLogger() : undefined;
  const print = log ?? batched!;
  return runCommand(COMMAND, args, async (flags) => {
    if (flags.timeout <= flags.gap) {
      throw new UsageError(`--timeout (${flags.timeout}) must be longer than --gap (${flags.gap})`);
    }
    const workers = flags.workers ??
      (Deno.build.os === "linux" ? navigator.hardwareConcurrency : 1);
    return await withPcap(flags.pcap, async (capture) => {
      if (capture !== undefined && workers > 1) {
        print("--pcap: one listener thread records every connection");
      }
      const server = serveCompute({
        capture,
        hostname: flags.host,
        port: flags.port,
        gapMs: flags.gap,
        timeoutMs: flags.timeout,
        sessionLimitMs: flags["session-limit"],
        maxConnections: flags["max-connections"],
        fibonacciLimit: flags["fib-limit"],
        factorialLimit: flags["fact-limit"],
        computeQueue: flags["compute-queue"],
        framing: flags.framing,
        trace: flags.trace ? print : undefined,
        workers,
        once: flags.once,
        log: print,
        quiet: flags.quiet && !flags.trace,
      });
      const mode = flags.once ? "; exits after the first batch of clients" : "";
      const threads = server.threads > 1 ? `, ${server.threads} threads` : "";
      print(
        `Compute server listening on port ${server.port} (${
          flags.host ?? "all interfaces"
        }${threads})${mode}`,
      );
      using _signals = onShutdownSignal(() => {
        print("Shutting down...");
        void server.close();
      });
      await server.finished;
      return 0;
    }, print);
  }, print).finally(() => batched?.flush());
}
