/**
 * The staff page's HTML, rendered on the server from a
 * {@linkcode StaffState} so it is complete without script; `staff.js` then
 * keeps it up to date. Every value is HTML-escaped here.
 *
 * @module
 */

import type { StaffAttempt, StaffScore, StaffState } from "./staff_state.ts";
import type { ActiveSession } from "./attempts_log.ts";

/**
 * Escapes text for HTML content and attribute values.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * assert.equal(escapeHtml(`<img src=x onerror="a('&')">`),
 *   "&lt;img src=x onerror=&quot;a(&#39;&amp;&#39;)&quot;&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** `HH:MM:SS` of an ISO time (UTC). */
const clock = (iso: string) => iso.slice(11, 19);

function row(cells: (string | number)[], className = ""): string {
  const tds = cells.map((cell) => `<td>${escapeHtml(String(cell))}</td>`).join("");
  return `<tr${className ? ` class="${className}"` : ""}>${tds}</tr>`;
}

function attemptRow(a: StaffAttempt): string {
  return row(
    [
      clock(a.at),
      a.id ?? "-",
      a.keyword ?? "-",
      `${a.score}/50`,
      a.verdict,
      a.best ?? "",
      a.message,
    ],
    a.verdict === "GOOD" ? "good" : "fail",
  );
}

const scoreRow = (s: StaffScore) =>
  row([s.id, s.task, `${s.best}/${s.outOf}`, s.attempts, clock(s.lastAt)]);
const activeRow = (s: ActiveSession) => row([s.peer, clock(s.since)]);

function table(id: string, headers: string[], rows: string[], empty: string): string {
  const head = headers.map((h) => `<th scope="col">${h}</th>`).join("");
  return `<div class="scroll"><table id="${id}"><thead><tr>${head}</tr></thead>` +
    `<tbody>${rows.join("")}</tbody></table></div>` +
    `<p class="empty" data-for="${id}"${rows.length ? " hidden" : ""}>${empty}</p>`;
}

function bars(perMinute: number[]): string {
  const max = Math.max(1, ...perMinute);
  return perMinute.map((n, i) => {
    const label = i === perMinute.length - 1 ? "now" : `-${perMinute.length - 1 - i}m`;
    return `<li><span class="label">${label}</span>` +
      `<meter min="0" max="${max}" value="${n}"></meter><span class="n">${n}</span></li>`;
  }).join("");
}

/**
 * The whole staff page for `state`.
 *
 * @example
 * ```ts
 * import { AttemptsLog, renderStaffPage, ScoreStore, staffState } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * await using store = await ScoreStore.open(":memory:");
 * const log = new AttemptsLog();
 * log.finish({ peer: "127.0.0.1:1", sid: 20200000, keyword: "test", score: 0, message: "<b>" });
 * const html = renderStaffPage(await staffState(store, log, true));
 * assert.match(html, /<td>\*{5}000<\/td>/);
 * assert.match(html, /<td>&lt;b&gt;<\/td>/);
 * ```
 */
export function renderStaffPage(state: StaffState): string {
  const lastMinute = state.perMinute.at(-1) ?? 0;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CS341 Practice #2: grading server</title>
<link rel="stylesheet" href="/staff.css">
<script src="/staff.js" defer></script>
</head>
<body>
<header>
<h1>CS341 Practice #2 grading server</h1>
<p class="status"><span id="live" class="live">live</span>
updated <time id="updated">${clock(state.generatedAt)}</time> UTC${
    state.maskIds ? " &middot; ids masked" : ""
  }</p>
<dl class="counts">
<div><dt>Active sessions</dt><dd id="active-count">${state.active.length}</dd></div>
<div><dt>Attempts, last minute</dt><dd id="rate">${lastMinute}</dd></div>
<div><dt>Students with a score</dt><dd id="students">${
    new Set(state.scores.map((s) => s.id)).size
  }</dd></div>
</dl>
<nav><a href="/scores.csv">scores.csv</a> <a href="/api/state">/api/state</a> <a href="/api/scores">/api/scores</a></nav>
</header>
<main>
<section><h2>Recent attempts</h2>
${
    table(
      "attempts",
      ["Time", "Student", "Keyword", "Score", "Verdict", "Best", "Message"],
      state.attempts.map(attemptRow),
      "No attempts yet.",
    )
  }</section>
<section><h2>Active sessions</h2>
${table("active", ["Client", "Since"], state.active.map(activeRow), "No open sessions.")}</section>
<section><h2>Attempts per minute</h2><ol id="per-minute" class="bars">${
    bars(state.perMinute)
  }</ol></section>
<section><h2>Best scores</h2>
${
    table(
      "scores",
      ["Student", "Task", "Best", "Attempts", "Last"],
      state.scores.map(scoreRow),
      "No scores yet.",
    )
  }</section>
</main>
</body>
</html>
`;
}
