/**
 * The grading server's staff page: a read-only HTTP server (bounded: staff_http.ts)
 * showing best scores, recent attempts, open sessions and attempts per
 * minute, live. Off unless asked for; binds 127.0.0.1 by default. Only GET
 * and HEAD are allowed; everything a student sent is escaped on the server
 * and written with `textContent` in the page.
 *
 * @module
 */

import { ConnectionError, describeError } from "../net/errors.ts";
import type { Logger } from "../net/logger.ts";
import type { AttemptsLog } from "./attempts_log.ts";
import { formatCsv } from "./score_export.ts";
import type { ScoreStore } from "./score_store.ts";
import { STAFF_CSS, STAFF_JS } from "./staff_assets.ts";
import {
  SECURITY_HEADERS,
  serveStaffHttp,
  type StaffHttpLimits,
  type StaffHttpServer,
} from "./staff_http.ts";
import { parseStaffSort, renderStaffPage } from "./staff_page.ts";
import { type StaffFilter, staffScores, staffState, studentView } from "./staff_state.ts";

/** Where the staff page listens and what it shows. */
export interface StaffPageOptions {
  /** The score database shown. */
  store: ScoreStore;
  /** The grading server's open sessions and attempts per minute; none when undefined. */
  log?: AttemptsLog | undefined;
  /** Port; 0 (the default) picks a free one. */
  port?: number | undefined;
  /** Address to bind; default `127.0.0.1` (this machine only). */
  hostname?: string | undefined;
  /** Attempts the page lists (default 50). */
  attempts?: number | undefined;
  /** The roster, for "on the roster without a score". */
  roster?: ReadonlySet<number> | undefined;
  /** Show only the last 3 digits of every student id, everywhere (API and CSV too). */
  maskIds?: boolean | undefined;
  /**
   * Names a request's `Host` may carry besides `localhost`, the loopback
   * addresses and the bound address (a reverse proxy's name); any other
   * gets 421.
   */
  allowedHosts?: readonly string[] | undefined;
  /** Time limits and connection cap; defaults in {@linkcode StaffHttpLimits}. */
  limits?: StaffHttpLimits | undefined;
  /** Receives a line for every request that failed; default `console.error`. */
  onError?: Logger | undefined;
}

/** A running staff page. */
export interface StaffPage extends AsyncDisposable {
  /** The page's address, such as `http://127.0.0.1:8080/`. */
  readonly url: string;
  /** The bound port. */
  readonly port: number;
  /** Stops serving; resolves once open requests are done. */
  close(): Promise<void>;
}

function respond(body: string, type: string, status = 200, extra: HeadersInit = {}): Response {
  const headers = new Headers({ ...SECURITY_HEADERS, "content-type": type, ...extra });
  return new Response(body, { status, headers });
}

/** The filter of `?task=1|2&prefix=DIGITS&verdict=GOOD|FAIL`, or a message saying what is wrong. */
function parseFilter(params: URLSearchParams): StaffFilter | string {
  const task = params.get("task");
  const prefix = params.get("prefix");
  const verdict = params.get("verdict");
  if (task !== null && task !== "" && task !== "1" && task !== "2") {
    return `task must be 1 or 2, got '${task.slice(0, 20)}'`;
  }
  if (prefix !== null && !/^\d{0,8}$/.test(prefix)) return "prefix must be up to 8 digits";
  if (verdict !== null && verdict !== "" && verdict !== "GOOD" && verdict !== "FAIL") {
    return "verdict must be GOOD or FAIL";
  }
  return {
    task: task === "1" ? 1 : task === "2" ? 2 : undefined,
    idPrefix: prefix || undefined,
    verdict: verdict === "GOOD" || verdict === "FAIL" ? verdict : undefined,
  };
}

async function route(request: Request, options: StaffPageOptions): Promise<Response> {
  const { store, log, roster } = options;
  const mask = options.maskIds ?? false;
  const url = new URL(request.url);
  const filter = parseFilter(url.searchParams);
  if (typeof filter === "string") return respond(`Bad query: ${filter}\n`, "text/plain", 400);
  const sources = { log, roster, maskIds: mask, attempts: options.attempts };
  // The rows of /api/scores and /scores.csv; prefixes apply to unmasked ids only.
  const rows = async () =>
    await store.rows({ task: filter.task, idPrefix: mask ? undefined : filter.idPrefix });
  switch (url.pathname) {
    case "/": {
      const key = url.searchParams.get("student");
      const student = key === null
        ? undefined
        : await studentView(store, key.slice(0, 64), mask, roster);
      const view = {
        ...parseStaffSort(url.searchParams),
        student,
        missingStudent: key !== null && student === undefined ? key : undefined,
      };
      return respond(
        renderStaffPage(await staffState(store, sources, filter), view),
        "text/html; charset=utf-8",
      );
    }
    case "/favicon.ico": // none; saves the browser's 404
      return new Response(null, { status: 204, headers: SECURITY_HEADERS });
    case "/staff.css":
      return respond(STAFF_CSS, "text/css; charset=utf-8");
    case "/staff.js":
      return respond(STAFF_JS, "text/javascript; charset=utf-8");
    case "/api/state":
      return respond(JSON.stringify(await staffState(store, sources, filter)), "application/json");
    case "/api/scores":
      return respond(JSON.stringify(staffScores(await rows(), mask)), "application/json");
    case "/api/student": {
      const key = (url.searchParams.get("key") ?? "").slice(0, 64);
      const view = await studentView(store, key, mask, roster);
      return view === undefined
        ? respond("No such student\n", "text/plain; charset=utf-8", 404)
        : respond(JSON.stringify(view), "application/json");
    }
    case "/scores.csv":
      return respond(
        formatCsv(await rows(), { maskIds: mask }),
        "text/csv; charset=utf-8",
        200,
        {
          "content-disposition": `attachment; filename="scores${
            filter.task ? `-task${filter.task}` : ""
          }.csv"`,
        },
      );
  }
  return respond("Not found\n", "text/plain; charset=utf-8", 404);
}

/**
 * Starts the staff page. Methods other than GET and HEAD get 405.
 *
 * @example
 * ```ts
 * import { AttemptsLog, ScoreStore, serveStaffPage } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * await using store = await ScoreStore.open(":memory:");
 * await store.record(20200000, 1, 50);
 * await using page = serveStaffPage({ store, log: new AttemptsLog() });
 * const csv = await (await fetch(new URL("/scores.csv", page.url))).text();
 * assert.match(csv, /^20200000,1,50,50,/m);
 * const post = await fetch(page.url, { method: "POST" });
 * await post.body?.cancel();
 * assert.equal(post.status, 405);
 * ```
 */
export function serveStaffPage(options: StaffPageOptions): StaffPage {
  const onError = options.onError ?? console.error;
  const hostname = options.hostname ?? "127.0.0.1";
  const port = options.port ?? 0;
  let server: StaffHttpServer;
  try {
    server = serveStaffHttp({
      hostname,
      port,
      allowedHosts: options.allowedHosts,
      limits: options.limits,
      onError,
    }, (request) => route(request, options));
  } catch (error) {
    const where = `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
    const why = error instanceof Deno.errors.AddrInUse ||
        (error instanceof ConnectionError && /already in use/.test(error.message))
      ? "the port is already in use"
      : describeError(error);
    throw new ConnectionError(`Cannot serve the staff page on ${where}: ${why}`, { cause: error });
  }
  const bound = server.addr;
  const host = bound.hostname.includes(":") ? `[${bound.hostname}]` : bound.hostname;
  return {
    url: `http://${host}:${bound.port}/`,
    port: bound.port,
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}
