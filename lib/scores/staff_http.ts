/**
 * A small bounded HTTP/1.1 server for the staff page, over the toolkit's own
 * TCP service ({@linkcode serveTcp}), so that the page can never starve the
 * grading port it shares descriptors with: GET and HEAD only, no request
 * bodies, a request head of at most 8 KiB read within a time limit, an idle
 * limit between keep-alive requests, a bounded number of requests per
 * connection, a connection cap of its own (one more is answered 503), and
 * accept failures (running out of descriptors) backed off, never fatal.
 * Requests whose `Host` is not this machine's name for the page get 421,
 * which keeps DNS rebinding out.
 *
 * @module
 */

import { closeQuietly, now, withTimeout } from "../net/deadline.ts";
import { describeError } from "../net/errors.ts";
import { formatAddress, serveTcp } from "../net/listener.ts";
import type { Logger } from "../net/logger.ts";
import { writeAll } from "../net/write_all.ts";

/** The staff page's bounds; every field has a default. */
export interface StaffHttpLimits {
  /** Time for a whole request head to arrive, from its first byte wait (default 5000 ms). */
  headerMs?: number | undefined;
  /** Time a kept-alive connection may sit between requests (default 5000 ms). */
  idleMs?: number | undefined;
  /** Time for one response to be written (default 10000 ms). */
  writeMs?: number | undefined;
  /** Connections served at once; one more gets 503 (default 32). */
  maxConnections?: number | undefined;
  /** Requests served on one connection before it is closed (default 100). */
  maxRequests?: number | undefined;
}

/** Where and how {@linkcode serveStaffHttp} listens. */
export interface StaffHttpOptions {
  /** Address to bind. */
  hostname: string;
  /** Port; 0 picks a free one. */
  port: number;
  /**
   * Names accepted in `Host` besides `localhost`, the loopback addresses and
   * the address the connection arrived on (for a reverse proxy's name).
   */
  allowedHosts?: readonly string[] | undefined;
  /** Bounds; defaults as in {@linkcode StaffHttpLimits}. */
  limits?: StaffHttpLimits | undefined;
  /** Receives a line for every request that failed on the server's side. */
  onError: Logger;
}

/** Headers every answer carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
    "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

/** A running bounded HTTP server. */
export interface StaffHttpServer extends AsyncDisposable {
  /** The bound address. */
  readonly addr: Deno.NetAddr;
  /** Connections open right now. */
  readonly active: number;
  /** Stops serving and closes every connection. */
  close(): Promise<void>;
}

const MAX_HEAD = 8192;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const REASONS: Record<number, string> = {
  200: "OK",
  204: "No Content",
  400: "Bad Request",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  421: "Misdirected Request",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** The bytes of one response: status line, headers, `content-length`, body. */
function encodeResponse(
  status: number,
  headers: Headers,
  body: Uint8Array,
  head: boolean,
  keepAlive: boolean,
): Uint8Array {
  let text = `HTTP/1.1 ${status} ${REASONS[status] ?? "Status"}\r\n`;
  for (const [name, value] of headers) {
    if (name === "content-length" || name === "connection") continue;
    text += `${name}: ${value.replace(/[\r\n]/g, " ")}\r\n`;
  }
  text += `content-length: ${body.length}\r\nconnection: ${keepAlive ? "keep-alive" : "close"}\r\n`;
  const start = encoder.encode(text + "\r\n");
  if (head || body.length === 0) return start;
  const all = new Uint8Array(start.length + body.length);
  all.set(start);
  all.set(body, start.length);
  return all;
}

function plain(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", ...extra },
  });
}

/** A parsed request head, or the status that refuses it. */
type Head =
  | { kind: "request"; method: string; target: string; headers: Headers; keepAlive: boolean }
  | { kind: "refused"; status: number; text: string; extra?: Record<string, string> };

function parseHead(text: string): Head {
  const lines = text.split("\r\n");
  const match = /^([A-Z]{1,16}) (\/[^ ]*) HTTP\/1\.([01])$/.exec(lines[0] ?? "");
  if (match === null) return { kind: "refused", status: 400, text: "Bad request line\n" };
  const [, method, target, minor] = match as unknown as [string, string, string, string];
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) return { kind: "refused", status: 400, text: "Bad header line\n" };
    try {
      headers.append(line.slice(0, colon), line.slice(colon + 1).trim());
    } catch {
      return { kind: "refused", status: 400, text: "Bad header line\n" };
    }
  }
  if (method !== "GET" && method !== "HEAD") {
    return {
      kind: "refused",
      status: 405,
      text: "Read-only: only GET and HEAD\n",
      extra: { allow: "GET, HEAD" },
    };
  }
  const length = headers.get("content-length");
  if (headers.has("transfer-encoding") || (length !== null && length !== "0")) {
    return { kind: "refused", status: 400, text: "A GET or HEAD request carries no body\n" };
  }
  const connection = (headers.get("connection") ?? "").toLowerCase();
  const keepAlive = minor === "1"
    ? !connection.includes("close")
    : connection.includes("keep-alive");
  return { kind: "request", method, target, headers, keepAlive };
}

/** The host part of a `Host` header, lower case, without port or brackets. */
function hostName(value: string): string {
  const host = value.trim().toLowerCase();
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]") >>> 0);
  const colon = host.lastIndexOf(":");
  return colon >= 0 && host.indexOf(":") === colon ? host.slice(0, colon) : host;
}

/**
 * Serves `handler` over bounded HTTP/1.1 (see the module doc). The handler
 * sees a `Request` whose URL is built from the accepted `Host`; its response
 * body is read whole and sent with a `content-length`, and left out for HEAD.
 *
 * @example
 * ```ts
 * import { serveStaffHttp } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * await using server = serveStaffHttp(
 *   { hostname: "127.0.0.1", port: 0, onError: () => {} },
 *   () => Promise.resolve(new Response("hello")),
 * );
 * const url = `http://127.0.0.1:${server.addr.port}/`;
 * assert.equal(await (await fetch(url)).text(), "hello");
 * const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
 * await conn.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n"));
 * assert.match(await new Response(conn.readable).text(), /^HTTP\/1\.1 421 /);
 * ```
 */
export function serveStaffHttp(
  options: StaffHttpOptions,
  handler: (request: Request) => Promise<Response>,
): StaffHttpServer {
  const limits = options.limits ?? {};
  const headerMs = limits.headerMs ?? 5000;
  const idleMs = limits.idleMs ?? 5000;
  const writeMs = limits.writeMs ?? 10_000;
  const maxRequests = limits.maxRequests ?? 100;
  const allowed = new Set(
    ["localhost", "127.0.0.1", "::1", options.hostname, ...(options.allowedHosts ?? [])]
      .map((name) => name.toLowerCase()),
  );

  async function send(conn: Deno.TcpConn, bytes: Uint8Array): Promise<void> {
    await withTimeout(
      writeAll(conn, bytes),
      writeMs,
      "the staff page's answer to be sent",
      () => closeQuietly(conn),
    );
  }

  async function serveConnection(conn: Deno.TcpConn): Promise<void> {
    const local = formatAddress(conn.localAddr).replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
    let pending = new Uint8Array(0);
    const chunk = new Uint8Array(4096);
    for (let served = 0; served < maxRequests; served++) {
      // Read one head: idle limit until its first byte, head limit for the whole.
      let end = -1;
      const started = now();
      while ((end = indexOfHeadEnd(pending)) < 0) {
        if (pending.length >= MAX_HEAD) {
          await send(
            conn,
            encodeResponse(431, new Headers(SECURITY_HEADERS), new Uint8Array(0), false, false),
          );
          return;
        }
        const limit = pending.length === 0 ? idleMs : headerMs - (now() - started);
        let n: number | null;
        try {
          n = await withTimeout(
            conn.read(chunk),
            Math.max(1, limit),
            "a request head",
            () => closeQuietly(conn),
          );
        } catch {
          return; // timed out (closed) or reset: nothing more to serve
        }
        if (n === null) return;
        const next = new Uint8Array(pending.length + n);
        next.set(pending);
        next.set(chunk.subarray(0, n), pending.length);
        pending = next;
      }
      const head = parseHead(decoder.decode(pending.subarray(0, end)));
      pending = pending.slice(end + 4);
      let response: Response;
      let keepAlive = false;
      let isHead = false;
      if (head.kind === "refused") {
        response = plain(head.status, head.text, head.extra);
      } else {
        const hostHeader = head.headers.get("host") ?? "";
        const host = hostName(hostHeader);
        if (!allowed.has(host) && host !== local.toLowerCase()) {
          response = plain(421, "This page answers only to its own address\n");
        } else {
          isHead = head.method === "HEAD";
          keepAlive = head.keepAlive && served + 1 < maxRequests;
          try {
            const url = new URL(head.target, `http://${hostHeader || "localhost"}`);
            response = await handler(
              new Request(url, { method: head.method, headers: head.headers }),
            );
          } catch (error) {
            options.onError(`Staff page: ${describeError(error)}`);
            response = plain(500, "Internal error\n");
            keepAlive = false;
          }
        }
      }
      const body = new Uint8Array(await response.arrayBuffer());
      await send(conn, encodeResponse(response.status, response.headers, body, isHead, keepAlive));
      if (!keepAlive) return;
    }
  }

  const service = serveTcp(
    { hostname: options.hostname, port: options.port },
    (conn) => serveConnection(conn),
    {
      log: (line) => options.onError(`Staff page: ${line}`),
      maxConnections: limits.maxConnections ?? 32,
      reject: async (conn) => {
        const busy = plain(503, "Busy: too many staff page connections; try again\n");
        const body = new Uint8Array(await busy.arrayBuffer());
        await writeAll(conn, encodeResponse(503, busy.headers, body, false, false));
      },
    },
  );
  const close = () => service.close();
  return {
    addr: service.addrs[0]!,
    get active() {
      return service.active;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function indexOfHeadEnd(bytes: Uint8Array): number {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 13 && bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) {
      return i;
    }
  }
  return -1;
}
