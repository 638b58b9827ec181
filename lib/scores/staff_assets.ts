/**
 * The staff page's stylesheet and script, served as `/staff.css` and
 * `/staff.js`. Plain CSS and JavaScript, no build step. The script polls
 * `/api/state` and rebuilds the tables with `textContent` only, so nothing
 * from a student is ever parsed as HTML.
 *
 * @module
 */

/** `/staff.css`: readable in a narrow window, clean on paper. */
export const STAFF_CSS: string = `
:root { color-scheme: light dark; --good: #1a7f37; --fail: #cf222e; --muted: #6e7781; }
* { box-sizing: border-box; }
body { font: 15px/1.4 system-ui, sans-serif; margin: 0 auto; padding: 0.75rem; max-width: 72rem; }
h1 { font-size: 1.3rem; margin: 0 0 0.25rem; }
h2 { font-size: 1.05rem; margin: 1.25rem 0 0.4rem; }
.status { margin: 0; color: var(--muted); }
.live { display: inline-block; padding: 0 0.4em; border-radius: 0.3em; background: var(--good); color: #fff; }
.live.stale { background: var(--fail); }
.counts { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0.6rem 0; }
.counts div { min-width: 9rem; }
.counts dt { color: var(--muted); font-size: 0.85rem; }
.counts dd { margin: 0; font-size: 1.5rem; font-variant-numeric: tabular-nums; }
nav a { margin-right: 1rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #8884; vertical-align: top; }
th { font-weight: 600; white-space: nowrap; }
#attempts td:last-child { overflow-wrap: anywhere; min-width: 14rem; }
tr.good td:nth-child(5) { color: var(--good); font-weight: 600; }
tr.fail td:nth-child(5) { color: var(--fail); font-weight: 600; }
.empty { color: var(--muted); margin: 0.3rem 0; }
.bars { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.15rem; }
.bars li { display: grid; grid-template-columns: 3rem 1fr 3rem; align-items: center; gap: 0.5rem; }
.bars meter { width: 100%; }
.bars .n { text-align: right; font-variant-numeric: tabular-nums; }
@media (max-width: 40rem) {
  body { font-size: 14px; padding: 0.4rem; }
  th, td { padding: 0.2rem 0.3rem; }
  /* Recent attempts as cards: the message gets a full line of its own. */
  #attempts thead, #attempts td:nth-child(3), #attempts td:nth-child(6) { display: none; }
  #attempts tr { display: flex; flex-wrap: wrap; gap: 0 0.7rem; padding: 0.3rem 0;
    border-bottom: 1px solid #8884; }
  #attempts td { border: 0; padding: 0; }
  #attempts td:last-child { flex-basis: 100%; min-width: 0; }
}
@media print {
  :root { color-scheme: light; }
  body { max-width: none; font-size: 11pt; color: #000; background: #fff; }
  nav, .live { display: none; }
  .scroll { overflow: visible; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: #000; text-decoration: none; }
}
`;

/** `/staff.js`: polls `/api/state` once a second and updates the page. */
export const STAFF_JS: string = `"use strict";
(() => {
  const POLL_MS = 1000;
  const clock = (iso) => iso.slice(11, 19);
  const $ = (id) => document.getElementById(id);
  let updates = 0;

  function fill(id, items, cells, rowClass) {
    const body = $(id).tBodies[0];
    const rows = items.map((item) => {
      const tr = document.createElement("tr");
      if (rowClass) tr.className = rowClass(item);
      for (const value of cells(item)) {
        const td = document.createElement("td");
        td.textContent = String(value);
        tr.append(td);
      }
      return tr;
    });
    body.replaceChildren(...rows);
    document.querySelector('.empty[data-for="' + id + '"]').hidden = items.length > 0;
  }

  function bars(perMinute) {
    const max = Math.max(1, ...perMinute);
    $("per-minute").replaceChildren(...perMinute.map((n, i) => {
      const li = document.createElement("li");
      const label = document.createElement("span");
      label.className = "label";
      label.textContent = i === perMinute.length - 1 ? "now" : "-" + (perMinute.length - 1 - i) + "m";
      const meter = document.createElement("meter");
      meter.min = 0;
      meter.max = max;
      meter.value = n;
      const count = document.createElement("span");
      count.className = "n";
      count.textContent = String(n);
      li.append(label, meter, count);
      return li;
    }));
  }

  function render(state) {
    fill("attempts", state.attempts, (a) => [
      clock(a.at), a.id ?? "-", a.keyword ?? "-", a.score + "/50", a.verdict, a.best ?? "", a.message,
    ], (a) => (a.verdict === "GOOD" ? "good" : "fail"));
    fill("active", state.active, (s) => [s.peer, clock(s.since)]);
    fill("scores", state.scores, (s) => [s.id, s.task, s.best + "/" + s.outOf, s.attempts, clock(s.lastAt)]);
    bars(state.perMinute);
    $("active-count").textContent = String(state.active.length);
    $("rate").textContent = String(state.perMinute.at(-1) ?? 0);
    $("students").textContent = String(new Set(state.scores.map((s) => s.id)).size);
    $("updated").textContent = clock(state.generatedAt);
    updates++;
    document.body.dataset.updates = String(updates);
  }

  async function poll() {
    try {
      const response = await fetch("/api/state", { cache: "no-store" });
      if (!response.ok) throw new Error("HTTP " + response.status);
      render(await response.json());
      $("live").textContent = "live";
      $("live").classList.remove("stale");
    } catch {
      $("live").textContent = "reconnecting";
      $("live").classList.add("stale");
    }
    setTimeout(poll, POLL_MS);
  }
  setTimeout(poll, POLL_MS);
})();
`;
