/**
 * What a grading server has been doing lately, for its staff page: the
 * sessions open now, attempts per minute, and the last attempts. Kept in
 * memory only; the database keeps the scores and the attempt history
 * (`attempt_history.ts`), which the staff page lists.
 *
 * @module
 */

import { showText } from "../net/peer_text.ts";
import { showControls } from "./attempt_history.ts";

/** One finished grading session. Text fields are escaped already. */
export interface Attempt {
  /** When it ended (ISO 8601, UTC). */
  at: string;
  /** The client's address, `host:port`. */
  peer: string;
  /** The student id, once a valid header named one. */
  sid?: number | undefined;
  /** The header's keyword (`sbmt` submits), once a valid header named one. */
  keyword?: string | undefined;
  /** Points earned, out of 50. */
  score: number;
  /** `GOOD` at full marks, else `FAIL`. */
  verdict: "GOOD" | "FAIL";
  /** The result message: the reason for a FAIL, and whether it was stored. */
  message: string;
  /** The best score after storing this one, when it was stored. */
  best?: number | undefined;
}

/** A session open now. */
export interface ActiveSession {
  /** The client's address, `host:port`. */
  peer: string;
  /** When it connected (ISO 8601, UTC). */
  since: string;
}

/** How much an {@linkcode AttemptsLog} keeps. */
export interface AttemptsLogOptions {
  /** Attempts kept for the page, newest first; default 50. */
  keep?: number | undefined;
  /** The clock, for tests; default `Date.now`. */
  now?: (() => number) | undefined;
}

const MINUTE = 60_000;
/** Minutes of history behind {@linkcode AttemptsLog.perMinute}. */
const MINUTES = 10;

/**
 * The recent activity of a grading server. Feed it with
 * {@linkcode AttemptsLog.start} when a connection opens and
 * {@linkcode AttemptsLog.finish} when it ends.
 *
 * @example
 * ```ts
 * import { AttemptsLog } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * const log = new AttemptsLog({ keep: 2 });
 * log.start("127.0.0.1:5000");
 * assert.equal(log.active().length, 1);
 * log.finish({ peer: "127.0.0.1:5000", sid: 20200000, keyword: "sbmt", score: 35,
 *   message: "DECRYPTED DATA MISMATCH\x1b[2J" });
 * assert.equal(log.active().length, 0);
 * assert.equal(log.recent()[0]!.verdict, "FAIL");
 * assert.equal(log.recent()[0]!.message, "DECRYPTED DATA MISMATCH\\x1b[2J");
 * assert.equal(log.perMinute().at(-1), 1);
 * ```
 */
export class AttemptsLog {
  readonly #keep: number;
  readonly #now: () => number;
  readonly #recent: Attempt[] = [];
  readonly #active = new Map<string, number>();
  // Attempts ended per second (Date.now() / 1000), for the last MINUTES:
  // at most 600 entries, however many sessions a flood brings.
  readonly #ended = new Map<number, number>();

  /** Creates an empty log. */
  constructor(options: AttemptsLogOptions = {}) {
    this.#keep = options.keep ?? 50;
    if (!Number.isInteger(this.#keep) || this.#keep < 1) {
      throw new RangeError(`keep must be a whole number >= 1, got ${this.#keep}`);
    }
    this.#now = options.now ?? Date.now;
  }

  /** A connection from `peer` opened. */
  start(peer: string): void {
    this.#active.set(showText(peer), this.#now());
  }

  /** A session ended; escapes its text fields and stamps the time. */
  finish(attempt: Omit<Attempt, "at" | "verdict">): void {
    const now = this.#now();
    const peer = showText(attempt.peer);
    this.#active.delete(peer);
    this.#recent.unshift({
      ...attempt,
      at: new Date(now).toISOString(),
      peer,
      keyword: attempt.keyword === undefined ? undefined : showText(attempt.keyword),
      verdict: attempt.score === 50 ? "GOOD" : "FAIL",
      message: showControls(attempt.message),
    });
    this.#recent.length = Math.min(this.#recent.length, this.#keep);
    const second = Math.floor(now / 1000);
    this.#ended.set(second, (this.#ended.get(second) ?? 0) + 1);
    this.#prune(now);
  }

  #prune(now: number): void {
    const oldest = now - MINUTES * MINUTE;
    for (const second of this.#ended.keys()) {
      if (second * 1000 <= oldest) this.#ended.delete(second);
    }
  }

  /** The last attempts, newest first. */
  recent(): Attempt[] {
    return [...this.#recent];
  }

  /** The sessions open now, oldest first. */
  active(): ActiveSession[] {
    return [...this.#active].map(([peer, since]) => ({
      peer,
      since: new Date(since).toISOString(),
    }));
  }

  /**
   * Attempts that ended in each of the last 10 minutes, oldest first; the
   * last number is the minute up to now. Counted per whole second, so an
   * attempt near a minute's edge may fall in the next one.
   */
  perMinute(): number[] {
    const now = this.#now();
    this.#prune(now);
    const counts = new Array<number>(MINUTES).fill(0);
    for (const [second, ended] of this.#ended) {
      const ago = Math.floor(Math.max(0, now - second * 1000) / MINUTE);
      if (ago < MINUTES) counts[MINUTES - 1 - ago]! += ended;
    }
    return counts;
  }
}
