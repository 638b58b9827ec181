/**
 * The grading server's staff page: a read-only HTTP server (Deno.serve)
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
import { formatCsv, formatJson } from "./score_export.ts";
import type { ScoreStore } from "./score_store.ts";
import { STAFF_CSS, STAFF_JS } from "./staff_assets.ts";
import { renderStaffPage } from "./staff_page.ts";
import { staffState } from "./staff_state.ts";

/** Where the staff page listens and what it shows. */
export interface StaffPageOptions {
  /** The score database shown. */
  store: ScoreStore;
  /** The grading server's recent activity. */
  log: AttemptsLog;
  /** Port; 0 (the default) picks a free one. */
  port?: number | undefined;
  /** Address to bind; default `127.0.0.1` (this machine only). */
  hostname?: string | undefined;
  /** Show only the last 3 digits of every student id. */
  maskIds?: boolean | undefined;
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

const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
    "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

function respond(body: string, type: string, status = 200, extra: HeadersInit = {}): Response {
  const headers = new Headers({ ...SECURITY_HEADERS, "content-type": type, ...extra });
  return new Response(body, { status, headers });
}

async function route(request: Request, options: StaffPageOptions): Promise<Response> {
  const { store, log } = options;
  const mask = options.maskIds ?? false;
  const path = new URL(request.url).pathname;
  switch (path) {
    case "/":
      return respond(
        renderStaffPage(await staffState(store, log, mask)),
        "text/html; charset=utf-8",
      );
    case "/favicon.ico": // none; saves the browser's 404
      return new Response(null, { status: 204, headers: SECURITY_HEADERS });
    case "/staff.css":
      return respond(STAFF_CSS, "text/css; charset=utf-8");
    case "/staff.js":
      return respond(STAFF_JS, "text/javascript; charset=utf-8");
    case "/api/state":
      return respond(JSON.stringify(await staffState(store, log, mask)), "application/json");
    case "/api/scores":
      return respond(formatJson(await store.rows(), { maskIds: mask }), "application/json");
    case "/scores.csv":
      return respond(
        formatCsv(await store.rows(), { maskIds: mask }),
        "text/csv; charset=utf-8",
        200,
        {
          "content-disposition": 'attachment; filename="scores.csv"',
        },
      );
  }
  return respond("Not found\n", "text/plain; charset=utf-8", 404);
}

/**
 * `Deno.serve` on the page's address; a failure to bind says it was the
 * staff page's, and which address (the grading port has a message of its own).
 */
function listen(
  options: StaffPageOptions,
  settings: Omit<Deno.ServeTcpOptions, "hostname" | "port">,
  handler: Deno.ServeHandler<Deno.NetAddr>,
): Deno.HttpServer<Deno.NetAddr> {
  const hostname = options.hostname ?? "127.0.0.1";
  const port = options.port ?? 0;
  try {
    return Deno.serve({ ...settings, hostname, port }, handler);
  } catch (error) {
    const where = `${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`;
    const why = error instanceof Deno.errors.AddrInUse
      ? "the port is already in use"
      : describeError(error);
    throw new ConnectionError(`Cannot serve the staff page on ${where}: ${why}`, { cause: error });
  }
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
  const server = listen(options, {
    onListen: () => {},
    onError: (error) => {
      onError(`Staff page: ${describeError(error)}`);
      return respond("Internal error\n", "text/plain; charset=utf-8", 500);
    },
  }, async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return respond("Read-only: only GET and HEAD\n", "text/plain; charset=utf-8", 405, {
        allow: "GET, HEAD",
      });
    }
    const response = await route(request, options);
    return request.method === "HEAD"
      ? new Response(null, { status: response.status, headers: response.headers })
      : response;
  });
  const { hostname, port } = server.addr;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= server.shutdown().then(() => server.finished));
  return {
    url: `http://${host}:${port}/`,
    port,
    close,
    [Symbol.asyncDispose]: close,
  };
}
