/**
 * Connects a grading server to its staff page (`server --task=1 --http`):
 * an attempts log fed by the server's events, and the page serving it.
 *
 * @module
 */

import type { Logger } from "../net/logger.ts";
import { AttemptsLog } from "../scores/attempts_log.ts";
import type { ScoreStore } from "../scores/score_store.ts";
import { serveStaffPage, type StaffPage } from "../scores/staff_server.ts";
import type { GradingServerOptions } from "../task1/grading/grading_server.ts";

/** The staff page's flags of the grading server. */
export interface StaffFlags {
  /** Port of the page, or `undefined` for no page. */
  http: number | undefined;
  /** Address to bind. */
  "http-host": string;
  /** Mask ids to their last 3 digits. */
  "mask-ids": boolean;
  /** Recent attempts kept. */
  attempts: number;
}

/** The grading server's event hooks, and the page (when asked for). */
export interface StaffPageHooks extends AsyncDisposable {
  /** Pass these to `serveGrading`. */
  hooks: Pick<GradingServerOptions, "onStart" | "onOutcome">;
  /** The running page, if `--http` was given. */
  page: StaffPage | undefined;
}

/**
 * Starts the staff page when `flags.http` is set; without it the hooks do
 * nothing and nothing listens.
 *
 * @example
 * ```ts
 * import { staffPageHooks } from "@cs341/practice2/cli";
 * import { ScoreStore } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * await using store = await ScoreStore.open(":memory:");
 * const flags = { http: 0, "http-host": "127.0.0.1", "mask-ids": false, attempts: 10 };
 * await using staff = staffPageHooks(store, flags, () => {});
 * staff.hooks.onOutcome?.({
 *   peer: "127.0.0.1:9", sid: 20200000, keyword: "test", score: 50, message: "OK", diagnoses: [],
 * });
 * const state = await (await fetch(new URL("/api/state", staff.page!.url))).json();
 * assert.equal(state.attempts[0].verdict, "GOOD");
 * ```
 */
export function staffPageHooks(store: ScoreStore, flags: StaffFlags, log: Logger): StaffPageHooks {
  if (flags.http === undefined) {
    return { hooks: {}, page: undefined, [Symbol.asyncDispose]: () => Promise.resolve() };
  }
  const attempts = new AttemptsLog({ keep: flags.attempts });
  const page = serveStaffPage({
    store,
    log: attempts,
    port: flags.http,
    hostname: flags["http-host"],
    maskIds: flags["mask-ids"],
    onError: log,
  });
  return {
    hooks: {
      onStart: (peer) => attempts.start(peer),
      onOutcome: (outcome) => attempts.finish(outcome),
    },
    page,
    [Symbol.asyncDispose]: () => page.close(),
  };
}
