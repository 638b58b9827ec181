/**
 * Connects a grading server to its attempt history and staff page
 * (`server --task=1 [--http]`): every outcome is written to the history in
 * the score database, and, with `--http`, an attempts log of open sessions
 * feeds the page.
 *
 * @module
 */

import type { Logger } from "../net/logger.ts";
import { AttemptsLog } from "../scores/attempts_log.ts";
import type { ScoreStore } from "../scores/score_store.ts";
import { serveStaffPage, type StaffPage } from "../scores/staff_server.ts";
import type { GradingServerOptions } from "../task1/grading/grading_server.ts";
import type { GradingOutcome } from "../task1/grading/grading_outcome.ts";

/** The staff page's flags of the grading server. */
export interface StaffFlags {
  /** Port of the page, or `undefined` for no page. */
  http: number | undefined;
  /** Address to bind. */
  "http-host": string;
  /** Extra names accepted in `Host` (comma-separated); none when absent. */
  "http-name"?: string | undefined;
  /** Mask ids to their last 3 digits. */
  "mask-ids": boolean;
  /** Recent attempts the page lists. */
  attempts: number;
  /** Attempts kept in the history per student and task; all when undefined. */
  "keep-attempts"?: number | undefined;
}

/** The grading server's event hooks, and the page (when asked for). */
export interface StaffPageHooks extends AsyncDisposable {
  /** Pass these to `serveGrading`. */
  hooks: Pick<GradingServerOptions, "onStart" | "onOutcome">;
  /** The running page, if `--http` was given. */
  page: StaffPage | undefined;
}

/** History writes waiting at once; beyond this a flood's attempts are not kept. */
const MAX_PENDING_WRITES = 256;

/**
 * Writes outcomes to the history without holding up grading: at most
 * {@linkcode MAX_PENDING_WRITES} at once, failures logged, all awaited on
 * dispose.
 */
function historyWriter(store: ScoreStore, keep: number | undefined, log: Logger) {
  const pending = new Set<Promise<unknown>>();
  let dropped = 0;
  return {
    write(outcome: GradingOutcome): void {
      if (pending.size >= MAX_PENDING_WRITES) {
        if (dropped++ === 0) log("Attempt history: too many writes queued; attempts not kept");
        return;
      }
      dropped = 0;
      const main = outcome.diagnoses[0];
      const write = store.recordAttempt({
        task: 1,
        studentId: outcome.sid ?? null,
        keyword: outcome.keyword ?? null,
        peer: outcome.peer,
        score: outcome.score,
        message: outcome.message,
        diagnosis: main === undefined ? null : { id: main.id, message: main.message },
        best: outcome.best ?? null,
      }, keep).catch((error: unknown) => {
        log(`Attempt history: not stored: ${error instanceof Error ? error.message : error}`);
      });
      pending.add(write);
      void write.finally(() => pending.delete(write));
    },
    async settle(): Promise<void> {
      await Promise.all(pending);
    },
  };
}

/**
 * Hooks that write every outcome to the attempt history in `store`, and the
 * staff page when `flags.http` is set (without it nothing listens).
 *
 * @example
 * ```ts
 * import { staffPageHooks } from "@cs341/practice2/cli";
 * import { ScoreStore } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * await using store = await ScoreStore.open(":memory:");
 * const flags = { http: 0, "http-host": "127.0.0.1", "mask-ids": false, attempts: 10 };
 * {
 *   await using staff = staffPageHooks(store, flags, () => {});
 *   staff.hooks.onOutcome?.({
 *     peer: "127.0.0.1:9", sid: 20200000, keyword: "test", score: 50, message: "OK", diagnoses: [],
 *   });
 *   const state = await (await fetch(new URL("/api/state", staff.page!.url))).json();
 *   assert.equal(state.attempts[0].verdict, "GOOD");
 * }
 * assert.equal((await store.attempts())[0]?.studentId, 20200000);
 * ```
 */
export function staffPageHooks(
  store: ScoreStore,
  flags: StaffFlags,
  log: Logger,
  roster?: ReadonlySet<number>,
): StaffPageHooks {
  const history = historyWriter(store, flags["keep-attempts"], log);
  if (flags.http === undefined) {
    return {
      hooks: { onOutcome: (outcome) => history.write(outcome) },
      page: undefined,
      [Symbol.asyncDispose]: () => history.settle(),
    };
  }
  const attempts = new AttemptsLog({ keep: flags.attempts });
  const page = serveStaffPage({
    store,
    log: attempts,
    attempts: flags.attempts,
    roster,
    port: flags.http,
    hostname: flags["http-host"],
    allowedHosts: (flags["http-name"] ?? "").split(",").map((name) => name.trim())
      .filter((name) => name !== ""),
    maskIds: flags["mask-ids"],
    onError: log,
  });
  return {
    hooks: {
      onStart: (peer) => attempts.start(peer),
      onOutcome: (outcome) => {
        attempts.finish(outcome);
        history.write(outcome);
      },
    },
    page,
    [Symbol.asyncDispose]: async () => {
      await page.close();
      await history.settle();
    },
  };
}
