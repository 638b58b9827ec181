/**
 * The options of a Task 2 compute session, their defaults, and the
 * computation it runs for FIBONACCI and FACTORIAL (injectable, so a server
 * can hand the work to a pool of workers).
 *
 * @module
 */

import { factorial, FACTORIAL_LIMIT, fibonacci, FIBONACCI_LIMIT } from "../compute/compute.ts";
import type { Framing } from "../protocol/tokens.ts";
import type { Logger } from "../../net/logger.ts";

/**
 * The default quiet gap that ends a name or a number when only a pause can
 * tell (see docs/protocol.md, "Framing"), in milliseconds.
 */
export const DEFAULT_GAP_MS = 50;

/**
 * The default time a connection may stay idle while the server needs a
 * byte from it, in milliseconds.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/**
 * The default total time a session may last, in milliseconds (5 minutes).
 *
 * @example
 * ```ts
 * import { computeSessionSettings, DEFAULT_SESSION_LIMIT_MS } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(computeSessionSettings({}).sessionLimitMs, DEFAULT_SESSION_LIMIT_MS);
 * ```
 */
export const DEFAULT_SESSION_LIMIT_MS = 300_000;

/**
 * One calculation a session asks for.
 *
 * @example
 * ```ts
 * import { type ComputeRequest, computeInThread } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const request: ComputeRequest = { kind: "fibonacci", n: 7 };
 * assert.equal(await computeInThread(request, new AbortController().signal), "13");
 * ```
 */
export interface ComputeRequest {
  /** Which value. */
  kind: "fibonacci" | "factorial";
  /** Its argument. */
  n: number;
  /** The largest `n` allowed; default the kind's limit in `compute.ts`. */
  limit?: number | undefined;
}

/**
 * Computes a request's value as a decimal string. It rejects with a
 * `RequestError` for an `n` it refuses (the message goes to the client);
 * `signal` aborts when the client has gone away.
 */
export type ComputeFunction = (request: ComputeRequest, signal: AbortSignal) => Promise<string>;

/**
 * The default {@linkcode ComputeFunction}: computes in the calling thread,
 * with the limits of `compute.ts`.
 *
 * @example
 * ```ts
 * import { computeInThread } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const signal = new AbortController().signal;
 * assert.equal(await computeInThread({ kind: "factorial", n: 6 }, signal), "720");
 * await assert.rejects(computeInThread({ kind: "fibonacci", n: -1 }, signal), {
 *   name: "RequestError",
 * });
 * ```
 */
export function computeInThread(request: ComputeRequest, _signal: AbortSignal): Promise<string> {
  try {
    const value = request.kind === "fibonacci"
      ? fibonacci(request.n, request.limit ?? FIBONACCI_LIMIT)
      : factorial(request.n, request.limit ?? FACTORIAL_LIMIT);
    return Promise.resolve(value.toString());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * How a compute session reads, computes and reports; every field has a default.
 */
export interface ComputeSessionOptions {
  /** A pause this long ends a name or number when only a pause can (ms); default {@linkcode DEFAULT_GAP_MS}. */
  gapMs?: number | undefined;
  /**
   * No byte for this long while one is needed closes the connection, and
   * so does a reply the client does not take (ms); default
   * {@linkcode DEFAULT_IDLE_TIMEOUT_MS}.
   */
  timeoutMs?: number | undefined;
  /** Total time a session may last (ms); default {@linkcode DEFAULT_SESSION_LIMIT_MS}. */
  sessionLimitMs?: number | undefined;
  /** What ends a name or number besides its content; default `"writes"`. */
  framing?: Framing | undefined;
  /** FIBONACCI and FACTORIAL; default {@linkcode computeInThread}. */
  compute?: ComputeFunction | undefined;
  /** Largest n of FIBONACCI; default `FIBONACCI_LIMIT` (10,000,000). */
  fibonacciLimit?: number | undefined;
  /** Largest n of FACTORIAL; default `FACTORIAL_LIMIT` (1,000,000). */
  factorialLimit?: number | undefined;
  /**
   * Receives one `--trace` line per message in or out, with its time; none
   * by default. (In listener threads the lines go through the server's log.)
   */
  trace?: Logger | undefined;
}

/** {@linkcode ComputeSessionOptions} with every default filled in. */
export interface ComputeSettings {
  /** A pause this long ends a name or number when only a pause can (ms). */
  gapMs: number;
  /** Idle limit for reads and for each reply write (ms). */
  timeoutMs: number;
  /** Total time a session may last (ms). */
  sessionLimitMs: number;
  /** What ends a name or number besides its content. */
  framing: Framing;
  /** FIBONACCI and FACTORIAL. */
  compute: ComputeFunction;
  /** Largest n of FIBONACCI. */
  fibonacciLimit: number;
  /** Largest n of FACTORIAL. */
  factorialLimit: number;
  /** Where `--trace` lines go, if anywhere. */
  trace: Logger | undefined;
}

/**
 * Checks `options` and fills in the defaults; throws `RangeError` when the
 * idle time limit is not longer than the gap or the session limit is not
 * positive.
 *
 * @example
 * ```ts
 * import { computeInThread, computeSessionSettings } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(computeSessionSettings({}), {
 *   gapMs: 50,
 *   timeoutMs: 30_000,
 *   sessionLimitMs: 300_000,
 *   framing: "writes",
 *   compute: computeInThread,
 *   fibonacciLimit: 10_000_000,
 *   factorialLimit: 1_000_000,
 *   trace: undefined,
 * });
 * assert.throws(() => computeSessionSettings({ gapMs: 100, timeoutMs: 100 }), {
 *   name: "RangeError",
 * });
 * ```
 */
export function computeSessionSettings(options: ComputeSessionOptions): ComputeSettings {
  const gapMs = options.gapMs ?? DEFAULT_GAP_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const sessionLimitMs = options.sessionLimitMs ?? DEFAULT_SESSION_LIMIT_MS;
  if (!(gapMs > 0) || !(timeoutMs > gapMs)) {
    throw new RangeError(`timeoutMs (${timeoutMs}) must be longer than gapMs (${gapMs}), both > 0`);
  }
  if (!(sessionLimitMs > 0)) {
    throw new RangeError(`sessionLimitMs must be > 0, got ${sessionLimitMs}`);
  }
  return {
    gapMs,
    timeoutMs,
    sessionLimitMs,
    framing: options.framing ?? "writes",
    compute: options.compute ?? computeInThread,
    fibonacciLimit: options.fibonacciLimit ?? FIBONACCI_LIMIT,
    factorialLimit: options.factorialLimit ?? FACTORIAL_LIMIT,
    trace: options.trace,
  };
}
