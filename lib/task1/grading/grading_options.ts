/**
 * The settings of a grading session: every option with its default and its
 * range.
 *
 * @module
 */

import type { Logger } from "../../net/logger.ts";
import type { ScoreStore } from "../../scores/score_store.ts";

/**
 * Plaintext bytes a grading session sends by default: 25,000, three packets.
 *
 * @example
 * ```ts
 * import { DEFAULT_PLAINTEXT_SIZE, splitIntoPackets } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * // The default text goes out in three packets, as in the assignment.
 * const packets = splitIntoPackets(new Uint8Array(DEFAULT_PLAINTEXT_SIZE), "tree", 20200000);
 * assert.equal(packets.length, 3);
 * ```
 */
export const DEFAULT_PLAINTEXT_SIZE = 25_000;

/** Largest plaintext a grading session may be set to send: 10 MiB. */
export const MAX_PLAINTEXT_SIZE: number = 10 * 1024 * 1024;

/** Longest wait for one read or write of a grading session, in ms, by default. */
export const DEFAULT_READ_TIMEOUT_MS = 10_000;

/** Longest time for a client's whole reply, in ms, by default. */
export const DEFAULT_REPLY_LIMIT_MS = 120_000;

/**
 * How long a failing session keeps reading what the client still sends
 * before it answers, and how long it waits for the client to close after
 * the answer, in ms, by default.
 *
 * @example
 * ```ts
 * import { DEFAULT_DRAIN_MS, gradingSessionSettings } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * assert.equal(gradingSessionSettings({}).drainMs, DEFAULT_DRAIN_MS);
 * ```
 */
export const DEFAULT_DRAIN_MS = 2_000;

/** How a grading session runs; every field has a default. */
export interface GradingSessionOptions {
  /** Plaintext bytes per client; default {@linkcode DEFAULT_PLAINTEXT_SIZE}. */
  plaintextSize?: number | undefined;
  /** Longest wait for one read or write, in ms; default {@linkcode DEFAULT_READ_TIMEOUT_MS}. */
  timeoutMs?: number | undefined;
  /** Longest time for a client's whole reply, in ms; default {@linkcode DEFAULT_REPLY_LIMIT_MS}. */
  replyLimitMs?: number | undefined;
  /**
   * Where `sbmt` scores go (only `record` is used); without a store nothing
   * is stored.
   */
  store?: Pick<ScoreStore, "record"> | undefined;
  /** Student ids allowed to register; without a roster every id is. */
  roster?: ReadonlySet<number> | undefined;
  /** Draining time, in ms; default {@linkcode DEFAULT_DRAIN_MS}. */
  drainMs?: number | undefined;
  /** Receives one `--trace` line per packet in either direction; none by default. */
  trace?: Logger | undefined;
}

/**
 * Checks `options` and fills in the defaults; throws `RangeError` for a
 * value out of range.
 *
 * @example
 * ```ts
 * import { gradingSessionSettings, MAX_PLAINTEXT_SIZE } from "@cs341/practice2/task1";
 * import assert from "node:assert/strict";
 *
 * assert.equal(gradingSessionSettings({}).plaintextSize, 25_000);
 * assert.throws(() => gradingSessionSettings({ plaintextSize: MAX_PLAINTEXT_SIZE + 1 }), {
 *   name: "RangeError",
 * });
 * ```
 */
export function gradingSessionSettings(options: GradingSessionOptions): GradingSettings {
  const plaintextSize = options.plaintextSize ?? DEFAULT_PLAINTEXT_SIZE;
  if (!Number.isInteger(plaintextSize) || plaintextSize < 0 || plaintextSize > MAX_PLAINTEXT_SIZE) {
    throw new RangeError(
      `plaintextSize must be 0 to ${MAX_PLAINTEXT_SIZE}, got ${plaintextSize}`,
    );
  }
  const drainMs = options.drainMs ?? DEFAULT_DRAIN_MS;
  if (!Number.isFinite(drainMs) || drainMs < 0) {
    throw new RangeError(`drainMs must be a finite number of ms, 0 or more, got ${drainMs}`);
  }
  return {
    plaintextSize,
    timeoutMs: options.timeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
    replyLimitMs: options.replyLimitMs ?? DEFAULT_REPLY_LIMIT_MS,
    store: options.store,
    roster: options.roster,
    drainMs,
    trace: options.trace,
  };
}

/** {@linkcode GradingSessionOptions} with every default filled in. */
export interface GradingSettings {
  /** Plaintext bytes per client. */
  plaintextSize: number;
  /** Longest wait for one read or write, in ms. */
  timeoutMs: number;
  /** Longest time for a client's whole reply, in ms. */
  replyLimitMs: number;
  /** Where `sbmt` scores go, if anywhere. */
  store: Pick<ScoreStore, "record"> | undefined;
  /** Student ids allowed to register, if limited. */
  roster: ReadonlySet<number> | undefined;
  /** Draining time, in ms. */
  drainMs: number;
  /** Where `--trace` lines go, if anywhere. */
  trace: Logger | undefined;
}
