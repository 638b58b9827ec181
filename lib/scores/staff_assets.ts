/**
 * The staff page's stylesheet and script, served as `/staff.css` and
 * `/staff.js`. Plain CSS and JavaScript, no build step. The script refetches
 * the page itself (same query) every two seconds and swaps its content in,
 * parsed with `DOMParser` (which runs no script) from HTML the server
 * escaped; filters, sorting and the per-student view go through the same
 * fetch, so the server's renderer is the only one. Times are shown in the
 * viewer's time zone.
 *
 * @module
 */

/** `/staff.css`: the class at a glance on a wide screen, readable narrow, clean on paper. */
export const STAFF_CSS: string = `
:root { color-scheme: light dark; --good: #1a7f37; --fail: #cf222e; --warn: #9a6700;
  --muted: #6e7781; --line: #8884; --card: #8881; }
* { box-sizing: border-box; }
body { font: 14px/1.35 system-ui, sans-serif; margin: 0 auto; padding: 0.5rem 0.75rem; max-width: 110rem; }
h1 { font-size: 1.2rem; margin: 0; display: inline; }
h2 { font-size: 1rem; margin: 0 0 0.3rem; }
h2 small { font-weight: normal; color: var(--muted); }
h3 { font-size: 0.9rem; margin: 0.2rem 0; color: var(--muted); }
header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.25rem 1rem; }
.status { margin: 0; color: var(--muted); }
.live { display: inline-block; padding: 0 0.4em; border-radius: 0.3em; background: var(--good); color: #fff; }
.live.stale { background: var(--fail); }
#filters { display: flex; flex-wrap: wrap; gap: 0.3rem 1rem; align-items: center; margin: 0.4rem 0; }
#filters input { width: 9rem; }
.glance { display: grid; grid-template-columns: repeat(auto-fit, minmax(15rem, 1fr)); gap: 0.5rem; margin-bottom: 0.6rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 0.4rem; padding: 0.4rem 0.6rem; min-width: 0; }
.counts { display: flex; flex-wrap: wrap; gap: 0.2rem 1.2rem; margin: 0; }
.counts dt { color: var(--muted); font-size: 0.8rem; }
.counts dd { margin: 0; font-size: 1.4rem; font-variant-numeric: tabular-nums; }
.counts dd.ok { color: var(--good); }
.counts dd.warn { color: var(--warn); }
svg.chart { display: block; width: 100%; height: 4.2rem; margin-top: 0.2rem; }
svg.chart rect.part { fill: #0969da; }
svg.chart rect.full { fill: var(--good); }
svg.chart text { font-size: 8px; fill: var(--muted); }
svg.spark { display: block; width: 8rem; height: 1.2rem; margin-top: 0.2rem; }
svg.spark rect { fill: #0969da; }
.reason-cols { display: grid; grid-template-columns: 1fr 1fr; gap: 0.5rem; }
.reasons { margin: 0; padding: 0; list-style: none; font-size: 0.85rem; }
.reasons li { display: grid; grid-template-columns: 2.2em minmax(0, 1fr); gap: 0.3em; overflow-wrap: anywhere; }
.reasons .n { text-align: right; font-weight: 600; font-variant-numeric: tabular-nums; }
.tables { display: grid; grid-template-columns: minmax(0, 1fr); gap: 0.75rem; }
@media (min-width: 110rem) { .tables { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); } }
@media (min-width: 60rem) { .card.reasons-card { grid-column: span 2; } }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 0.2rem 0.45rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; white-space: nowrap; }
th a { color: inherit; }
tbody th { font-weight: normal; }
td.full { color: var(--good); font-weight: 600; }
td.part { color: var(--warn); }
td.low { color: var(--fail); font-weight: 600; }
td.none { color: var(--muted); }
td small { color: var(--muted); font-weight: normal; }
td.msg { overflow-wrap: anywhere; min-width: 14rem; }
td.peer { color: var(--muted); white-space: nowrap; font-size: 0.85em; }
td time, li time { white-space: nowrap; }
td.msg.batch { min-width: 12rem; font-size: 0.9em; }
tr.good td.verdict { color: var(--good); font-weight: 600; }
tr.fail td.verdict { color: var(--fail); font-weight: 600; }
.cause { color: var(--muted); font-size: 0.9em; }
.empty, .note { color: var(--muted); margin: 0.3rem 0; }
.student-view { border: 2px solid #0969da; border-radius: 0.4rem; padding: 0.5rem 0.75rem; margin-bottom: 0.75rem; }
.student-view ul { margin: 0.2rem 0; }
@media (max-width: 40rem) {
  body { font-size: 14px; padding: 0.4rem; }
  th, td { padding: 0.2rem 0.3rem; }
  .reason-cols { grid-template-columns: 1fr; }
  /* The two task cards side by side, so the students table comes sooner. */
  .glance { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0.35rem; }
  .card { padding: 0.3rem 0.4rem; }
  .card.reasons-card, .card.now { grid-column: span 2; }
  .counts { gap: 0 0.6rem; }
  .counts dt { font-size: 0.72rem; }
  .counts dd { font-size: 1.1rem; }
  svg.chart { height: 3rem; }
  /* Attempts as cards: the message gets a full line of its own. */
  table.attempts thead, table.attempts td:nth-child(4), table.attempts td.peer { display: none; }
  table.attempts tr { display: flex; flex-wrap: wrap; gap: 0 0.7rem; padding: 0.3rem 0;
    border-bottom: 1px solid var(--line); }
  table.attempts td { border: 0; padding: 0; }
  table.attempts td.msg { flex-basis: 100%; min-width: 0; }
}
@media print {
  :root { color-scheme: light; }
  body { max-width: none; font-size: 10pt; color: #000; background: #fff; }
  #filters, .live, header a, .back { display: none; }
  .card { break-inside: avoid; }
  .card.now { display: none; }
  .glance { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .card.reasons-card { grid-column: span 2; }
  .reason-cols { grid-template-columns: 1fr 1fr; }
  .tables { grid-template-columns: minmax(0, 1fr); }
  th, td time, td.peer { white-space: normal; }
  td.msg, td.msg.batch { min-width: 0; }
  th, td { padding: 0.1rem 0.25rem; }
  .scroll { overflow: visible; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: #000; text-decoration: none; }
}
`;

/** `/staff.js`: keeps the page live, local times, filters without reloads. */
export const STAFF_JS: string = `"use strict";
(() => {
  const POLL_MS = 2000;
  const $ = (id) => document.getElementById(id);
  const two = (n) => String(n).padStart(2, "0");
  let updates = 0;
  let timer;
  let busy = false;

  // Times in the viewer's zone: 2026-12-05 11:30:00.
  function localTimes(root) {
    for (const el of root.querySelectorAll("time[datetime]")) {
      const d = new Date(el.getAttribute("datetime"));
      if (Number.isNaN(d.getTime())) continue;
      el.textContent = d.getFullYear() + "-" + two(d.getMonth() + 1) + "-" + two(d.getDate()) +
        " " + two(d.getHours()) + ":" + two(d.getMinutes()) + ":" + two(d.getSeconds());
      el.title = d.toISOString();
    }
  }

  function setLive(ok) {
    $("live").textContent = ok ? "live" : "reconnecting";
    $("live").classList.toggle("stale", !ok);
  }

  // Fetches the page for url and swaps in its content, and its filters unless
  // they are being typed in (a link followed, such as "clear", always does).
  async function load(url, newForm) {
    const response = await fetch(url, { cache: "no-store", headers: { accept: "text/html" } });
    if (!response.ok && response.status !== 404) throw new Error("HTTP " + response.status);
    const doc = new DOMParser().parseFromString(await response.text(), "text/html");
    const content = doc.getElementById("content");
    if (content === null) throw new Error("no content");
    localTimes(doc);
    $("content").replaceWith(document.adoptNode(content));
    const status = doc.querySelector("header .status");
    if (status) document.querySelector("header .status").replaceWith(document.adoptNode(status));
    const form = doc.getElementById("filters");
    if (form && (newForm || !$("filters").contains(document.activeElement))) {
      $("filters").replaceWith(document.adoptNode(form));
      wireForm();
    }
    showZone();
    updates++;
    const loaded = new URL(url, location.href);
    document.body.dataset.updates = String(updates);
    document.body.dataset.loaded = loaded.pathname + loaded.search;
  }

  async function refresh(url, newForm) {
    clearTimeout(timer);
    if (busy) { timer = setTimeout(() => refresh(location.href, newForm), 200); return; }
    busy = true;
    try {
      await load(url ?? location.href, newForm);
      setLive(true);
    } catch {
      setLive(false);
    } finally {
      busy = false;
      timer = setTimeout(() => refresh(), POLL_MS);
    }
  }

  function go(url, push) {
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
    void refresh(url, push);
  }

  function formUrl() {
    const params = new URLSearchParams();
    for (const [name, value] of new FormData($("filters"))) {
      if (value !== "") params.set(name, String(value));
    }
    const search = params.toString();
    return search === "" ? "/" : "/?" + search;
  }

  let typing;
  function wireForm() {
    const form = $("filters");
    form.addEventListener("submit", (event) => { event.preventDefault(); go(formUrl(), false); });
    form.addEventListener("change", () => go(formUrl(), false));
    form.addEventListener("input", (event) => {
      if (event.target.name !== "prefix") return;
      clearTimeout(typing);
      typing = setTimeout(() => go(formUrl(), false), 300);
    });
  }

  function showZone() {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const el = $("zone");
    if (el) el.textContent = " (times in " + zone + ")";
  }

  // Links inside the page (sorting, a student, back) stay in the page.
  document.addEventListener("click", (event) => {
    const a = event.target.closest("a[href]");
    if (!a || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    const url = new URL(a.href, location.href);
    if (url.origin !== location.origin || url.pathname !== "/") return;
    event.preventDefault();
    go(url.pathname + url.search, true);
    if (url.searchParams.has("student")) window.scrollTo(0, 0);
  });
  addEventListener("popstate", () => void refresh(location.href, true));

  localTimes(document);
  showZone();
  wireForm();
  timer = setTimeout(() => refresh(), POLL_MS);
})();
`;
