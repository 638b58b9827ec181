/**
 * `server` (the default role): the Task 2 compute server.
 *
 * @module
 */

import {
  type CommandSpec,
  formatHelp,
  parseCommandLine,
  parseIntegerFlag,
  parsePortFlag,
} from "./flags.ts";
import { DEFAULT_GAP_MS, DEFAULT_TIMEOUT_MS, serveCompute } from "../task2/compute_server.ts";
import { UsageError } from "../net/errors.ts";
import { onShutdownSignal } from "../net/shutdown.ts";

/**
 * The compute server's command line.
 *
 * @example
 * ```ts
 * import { COMPUTE_SERVER_COMMAND } from "./compute_server.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(COMPUTE_SERVER_COMMAND.flags.gap?.default, "50");
 * ```
 */
export const COMPUTE_SERVER_COMMAND: CommandSpec = {
  usage: "server [--port=PORT] [--host=HOST] [--gap=MS] [--timeout=MS] [--once]",
  summary: [
    "Task 2 compute server. Gives each client uuid3(NAMESPACE_DNS, name), then answers",
    "FIBONACCI n, FACTORIAL n and FILE (or WORD_COUNT) length body with answer_uuid, for",
    "many clients at once, until each sends COMPLETE. Stop it with Ctrl+C.",
  ].join("\n"),
  flags: {
    port: {
      type: "string",
      value: "PORT",
      description: "Port to listen on (0: any free port)",
      default: "1234",
    },
    host: {
      type: "string",
      value: "HOST",
      description: "Listen on this address only",
      default: "all interfaces",
    },
    gap: {
      type: "string",
      value: "MS",
      description: "A pause this long ends a client's name or number",
      default: String(DEFAULT_GAP_MS),
    },
    timeout: {
      type: "string",
      value: "MS",
      description: "Close a connection idle this long mid-conversation",
      default: String(DEFAULT_TIMEOUT_MS),
    },
    once: {
      type: "boolean",
      description: "Exit once a batch of clients has sent COMPLETE and all have left",
      default: "off",
    },
  },
  examples: ["deno task server --port=1234", "./server --port=1234 --once"],
};

/**
 * Runs the compute server until SIGINT/SIGTERM (or, with `--once`, until
 * the first batch of clients is done); returns the exit code. Lines go to
 * `log`, `console.log` by default.
 *
 * @example
 * ```ts
 * import { computeServerMain } from "./compute_server.ts";
 * import assert from "node:assert/strict";
 *
 * const lines: string[] = [];
 * assert.equal(await computeServerMain(["--help"], (line) => lines.push(line)), 0);
 * assert.match(lines[0]!, /--once/);
 * ```
 */
export async function computeServerMain(
  args: readonly string[],
  log: (line: string) => void = console.log,
): Promise<number> {
  const flags = parseCommandLine(COMPUTE_SERVER_COMMAND, args);
  if (flags === undefined) {
    log(formatHelp(COMPUTE_SERVER_COMMAND));
    return 0;
  }
  const port = flags.port === "0" ? 0 : parsePortFlag(String(flags.port));
  const gapMs = parseIntegerFlag("gap", String(flags.gap), 1, 60_000);
  const timeoutMs = parseIntegerFlag("timeout", String(flags.timeout), 1, 3_600_000);
  if (timeoutMs <= gapMs) {
    throw new UsageError(`--timeout (${timeoutMs}) must be longer than --gap (${gapMs})`);
  }
  const host = flags.host === "all interfaces" ? undefined : String(flags.host);
  const once = flags.once === true;
  const server = serveCompute({ hostname: host, port, gapMs, timeoutMs, once, log });
  const mode = once ? "; exits after the first batch of clients" : "";
  log(`Compute server listening on port ${server.port} (${host ?? "all interfaces"})${mode}`);
  using _signals = onShutdownSignal(() => {
    log("Shutting down...");
    server.close();
  });
  await server.finished;
  return 0;
}
