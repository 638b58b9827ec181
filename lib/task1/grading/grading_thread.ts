/**
 * The body of one extra listener thread of the grading server (see
 * `grading_server.ts`), run by `runListenerThread`: it listens on the
 * server's port with `reusePort`, grades its connections like the main
 * thread, counts them in the server's one connection budget, and sends its
 * scores (and the `onStart`/`onOutcome` events) to the main thread, whose
 * one score store keeps every thread's best scores.
 *
 * @module
 */

import { formatAddress, serveTcp } from "../../net/listener.ts";
import { runListenerThread } from "../../net/listener_threads.ts";
import { ScoreStoreError } from "../../scores/score_store.ts";
import type { RecordResult, TaskNumber } from "../../scores/score_db.ts";
import type { GradingOutcome } from "./grading_outcome.ts";
import { gradingSessionSettings } from "./grading_options.ts";
import { gradeConnection } from "./grading_session.ts";
import { rejectBusy } from "./grading_server.ts";
import {
  type GradingThreadSettings,
  type ThreadCall,
  TRACE_MARK,
} from "./grading_thread_settings.ts";

runListenerThread<GradingThreadSettings>((settings, context) => {
  const { log, budget } = context;
  const call = (request: ThreadCall) => context.call(request);
  // Events need no answer; a hook that threw is the main thread's fault, logged here.
  const tell = (request: ThreadCall) =>
    void call(request).catch((error) => log(`Server hook failed: ${error}`));
  const store = settings.store
    ? {
      record: (sid: number, _task: TaskNumber, score: number) =>
        call({ t: "record", sid, score }) as Promise<RecordResult>,
    }
    : undefined;
  const options = gradingSessionSettings({
    ...settings.session,
    store,
    trace: settings.trace ? (line) => log(TRACE_MARK + line) : undefined,
  });
  const answered = settings.onOutcome
    ? (outcome: GradingOutcome) => tell({ t: "outcome", outcome })
    : undefined;
  return serveTcp({ ...settings.listen, reusePort: true }, async (conn, shutdown) => {
    context.opened();
    try {
      if (settings.onStart) tell({ t: "start", peer: formatAddress(conn.remoteAddr) });
      await gradeConnection(conn, options, log, { shutdown, answered });
    } finally {
      context.ended(false);
    }
  }, { log, maxConnections: budget, reject: rejectBusy(log, budget.limit) });
}, { ScoreStoreError });
