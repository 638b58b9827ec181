/**
 * The staff page's HTML, rendered on the server from a
 * {@linkcode StaffState}: the one renderer of the page. It is complete
 * without script (filters are a GET form, sorting and the per-student view
 * are links); `staff.js` refetches it while open and swaps the content in,
 * and shows times in the viewer's time zone. Every value is HTML-escaped
 * here.
 *
 * @module
 */

import type { ActiveSession } from "./attempts_log.ts";
import type { ReasonCount } from "./attempt_history.ts";
import type {
  StaffAttempt,
  StaffBatch,
  StaffScore,
  StaffState,
  StudentView,
  TaskSummary,
} from "./staff_state.ts";

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

/** How the student table is ordered: `?sort=` and `?dir=`. */
export type StaffSort = "id" | "task1" | "task2" | "total" | "attempts" | "last" | "batch";

const SORTS: readonly StaffSort[] = ["id", "task1", "task2", "total", "attempts", "last", "batch"];

/** What the viewer asked for beyond the state's filter. */
export interface StaffView {
  /** Column the student table is sorted by (default `id`). */
  sort?: StaffSort | undefined;
  /** `desc` for descending. */
  dir?: "asc" | "desc" | undefined;
  /** The student shown on their own, when one was asked for. */
  student?: StudentView | undefined;
  /** A student key asked for but not found. */
  missingStudent?: string | undefined;
}

/**
 * Reads `?sort=` and `?dir=` (unknown values give the defaults).
 *
 * @example
 * ```ts
 * import { parseStaffSort } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseStaffSort(new URLSearchParams("sort=total&dir=desc")),
 *   { sort: "total", dir: "desc" });
 * assert.deepEqual(parseStaffSort(new URLSearchParams("sort=x")), { sort: "id", dir: "asc" });
 * ```
 */
export function parseStaffSort(
  params: URLSearchParams,
): { sort: StaffSort; dir: "asc" | "desc" } {
  const sort = SORTS.find((s) => s === params.get("sort")) ?? "id";
  return { sort, dir: params.get("dir") === "desc" ? "desc" : "asc" };
}

/** A time the script shows in the viewer's zone; UTC without script. */
function time(iso: string | null | undefined): string {
  if (!iso) return "";
  const utc = `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(utc)}</time>`;
}

const td = (html: string, className = "") =>
  `<td${className ? ` class="${className}"` : ""}>${html}</td>`;
const text = (value: string | number | null | undefined) => escapeHtml(String(value ?? ""));

/** One student's row: both tasks' scores and the batch record. */
interface StudentRow {
  studentId: string;
  key: string;
  scores: { 1?: StaffScore; 2?: StaffScore };
  batch?: StaffBatch;
}

function studentRows(state: StaffState): StudentRow[] {
  const byKey = new Map<string, StudentRow>();
  const get = (studentId: string, key: string) => {
    let row = byKey.get(key);
    if (row === undefined) byKey.set(key, row = { studentId, key, scores: {} });
    return row;
  };
  for (const score of state.scores) get(score.studentId, score.key).scores[score.task] = score;
  for (const b of state.batch) get(b.studentId, b.key).batch = b;
  for (const m of state.missing) get(m.studentId, m.key);
  return [...byKey.values()];
}

function sortValue(row: StudentRow, sort: StaffSort): string | number {
  const t1 = row.scores[1];
  const t2 = row.scores[2];
  switch (sort) {
    case "id":
      return row.studentId;
    case "task1":
      return t1?.best ?? -1;
    case "task2":
      return t2?.best ?? -1;
    case "total":
      return t1 === undefined && t2 === undefined ? -1 : (t1?.best ?? 0) + (t2?.best ?? 0);
    case "attempts":
      return (t1?.attempts ?? 0) + (t2?.attempts ?? 0);
    case "last":
      return [t1?.lastAt ?? "", t2?.lastAt ?? ""].sort().at(-1)!;
    case "batch":
      return row.batch?.total ?? -1;
  }
}

function fullMarks(row: StudentRow, task: 1 | 2 | null): boolean {
  const tasks: (1 | 2)[] = task === null ? [1, 2] : [task];
  return tasks.every((t) => {
    const score = row.scores[t];
    return score !== undefined && score.best >= score.outOf;
  });
}

/** The page's address for `changes` to the current query (a link's href). */
function link(query: URLSearchParams, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(query);
  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === "") next.delete(name);
    else next.set(name, value);
  }
  const search = next.toString();
  return escapeHtml(search === "" ? "/" : `/?${search}`);
}

function queryOf(state: StaffState, view: StaffView): URLSearchParams {
  const query = new URLSearchParams();
  if (state.filter.task !== null) query.set("task", String(state.filter.task));
  if (state.filter.idPrefix !== null) query.set("prefix", state.filter.idPrefix);
  if (state.filter.verdict !== null) query.set("verdict", state.filter.verdict);
  if (view.sort !== undefined && view.sort !== "id") query.set("sort", view.sort);
  if (view.dir === "desc") query.set("dir", "desc");
  return query;
}

function scoreCell(score: StaffScore | undefined): string {
  if (score === undefined) return td("&ndash;", "none");
  const kind = score.best >= score.outOf ? "full" : "part";
  const last = score.last === score.best ? "" : ` <small>last ${score.last}</small>`;
  return td(`${score.best}/${score.outOf}${last}`, kind);
}

function studentTable(state: StaffState, view: StaffView, query: URLSearchParams): string {
  const sort = view.sort ?? "id";
  const dir = view.dir ?? "asc";
  let rows = studentRows(state);
  if (state.filter.verdict !== null) {
    const wanted = state.filter.verdict === "GOOD";
    rows = rows.filter((row) => fullMarks(row, state.filter.task) === wanted);
  }
  rows.sort((a, b) => {
    const x = sortValue(a, sort);
    const y = sortValue(b, sort);
    const order = x < y ? -1 : x > y ? 1 : a.studentId < b.studentId ? -1 : 1;
    return dir === "desc" ? -order : order;
  });
  const hasBatch = state.batch.length > 0;
  const header = (label: string, key: StaffSort) => {
    const active = sort === key;
    const next = active && dir === "asc" ? "desc" : "asc";
    const mark = active ? (dir === "asc" ? " &#9650;" : " &#9660;") : "";
    const aria = active ? ` aria-sort="${dir === "asc" ? "ascending" : "descending"}"` : "";
    return `<th scope="col"${aria}><a href="${
      link(query, { sort: key === "id" ? null : key, dir: next === "asc" ? null : "desc" })
    }">${label}${mark}</a></th>`;
  };
  const head = [
    header("Student", "id"),
    header("Task 1", "task1"),
    header("Task 2", "task2"),
    header("Total", "total"),
    header("Attempts", "attempts"),
    header("Last attempt", "last"),
    ...(hasBatch ? [header("Batch (code)", "batch"), '<th scope="col">Batch problems</th>'] : []),
  ].join("");
  const body = rows.map((row) => {
    const t1 = row.scores[1];
    const t2 = row.scores[2];
    const total = t1 === undefined && t2 === undefined
      ? "&ndash;"
      : `${(t1?.best ?? 0) + (t2?.best ?? 0)}/90`;
    const lastAt = [t1?.lastAt ?? "", t2?.lastAt ?? ""].sort().at(-1);
    const batchCells = !hasBatch
      ? ""
      : row.batch === undefined
      ? td("&ndash;", "none") + td("")
      : td(
        `${row.batch.total}/90 <small>(${row.batch.task1} + ${row.batch.task2})</small>`,
        batchFlag(row),
      ) + td(text(row.batch.problems.join("; ") || row.batch.diagnosis || ""), "msg batch");
    return `<tr><th scope="row"><a class="student" href="${
      link(new URLSearchParams(), { student: row.key })
    }">${text(row.studentId)}</a></th>${scoreCell(t1)}${scoreCell(t2)}${td(total)}${
      td(String((t1?.attempts ?? 0) + (t2?.attempts ?? 0)))
    }${td(time(lastAt))}${batchCells}</tr>`;
  }).join("");
  return `<div class="scroll"><table id="scores"><thead><tr>${head}</tr></thead><tbody>${body}` +
    `</tbody></table></div>${
      rows.length === 0 ? '<p class="empty">No students match.</p>' : ""
    }<p class="note">${rows.length} student${rows.length === 1 ? "" : "s"}${
      hasBatch ? "; batch: what the submitted code earned, beside the registered scores" : ""
    }</p>`;
}

/** `low` when the submitted code earns less than the registered scores. */
function batchFlag(row: StudentRow): string {
  const b = row.batch!;
  const t1 = row.scores[1]?.best;
  const t2 = row.scores[2]?.best;
  if ((t1 !== undefined && b.task1 < t1) || (t2 !== undefined && b.task2 < t2)) return "low";
  return b.total >= b.outOf ? "full" : "part";
}

function attemptRows(attempts: readonly StaffAttempt[], withStudent: boolean): string {
  return attempts.map((a) => {
    const who = a.studentId === null
      ? "&ndash;"
      : `<a class="student" href="${link(new URLSearchParams(), { student: a.key })}">${
        text(a.studentId)
      }</a>`;
    const cause = a.diagnosisMessage === null
      ? ""
      : `<br><span class="cause">${text(a.diagnosis)}: ${text(a.diagnosisMessage)}</span>`;
    return `<tr class="${a.verdict === "GOOD" ? "good" : "fail"}">${td(time(a.at))}${
      td(String(a.task))
    }${withStudent ? td(who) : ""}${a.keyword === null ? td("&ndash;") : td(text(a.keyword))}${
      td(`${a.score}/${a.outOf}`)
    }${td(a.verdict, "verdict")}${td(text(a.best ?? ""))}${td(text(a.peer), "peer")}${
      td(`${text(a.message)}${cause}`, "msg")
    }</tr>`;
  }).join("");
}

function attemptTable(id: string, attempts: readonly StaffAttempt[], withStudent: boolean) {
  const heads = [
    "Time",
    "Task",
    ...(withStudent ? ["Student"] : []),
    "Keyword",
    "Score",
    "Verdict",
    "Best",
    "Client",
    "Message",
  ];
  return `<div class="scroll"><table id="${id}" class="attempts"><thead><tr>${
    heads.map((h) => `<th scope="col">${h}</th>`).join("")
  }</tr></thead><tbody>${attemptRows(attempts, withStudent)}</tbody></table></div>${
    attempts.length === 0 ? '<p class="empty">No attempts.</p>' : ""
  }`;
}

/** A bar chart of a task's best-score bands, as inline SVG (no inline style). */
function chart(summary: TaskSummary): string {
  const counts = summary.distribution;
  const max = Math.max(1, ...counts);
  const width = 10;
  const height = 48;
  const bars = counts.map((n, i) => {
    const h = n === 0 ? 0 : Math.max(2, Math.round((n / max) * height));
    const from = i * 5;
    const label = i === counts.length - 1 ? `${summary.outOf}` : `${from}-${from + 4}`;
    return `<rect x="${i * (width + 2)}" y="${height - h}" width="${width}" height="${h}"` +
      ` class="${i === counts.length - 1 ? "full" : "part"}"><title>${label}: ${n}</title></rect>`;
  }).join("");
  const total = counts.length * (width + 2);
  return `<svg class="chart" viewBox="0 -2 ${total} ${
    height + 14
  }" role="img" aria-label="Task ${summary.task} best scores: ${
    counts.map((n, i) => `${i * 5}+: ${n}`).join(", ")
  }">${bars}<text x="0" y="${height + 11}">0</text><text x="${total}" y="${
    height + 11
  }" text-anchor="end">${summary.outOf}</text></svg>`;
}

function summaryCard(s: TaskSummary): string {
  const without = s.rosterWithout === null
    ? `<div><dt>On roster, no score</dt><dd title="no --roster given">&ndash;</dd></div>`
    : `<div><dt>On roster, no score</dt><dd class="warn">${s.rosterWithout}</dd></div>`;
  return `<section class="card task${s.task}"><h2>Task ${s.task} <small>out of ${s.outOf}</small></h2>` +
    `<dl class="counts"><div><dt>Full marks</dt><dd class="ok">${s.fullMarks}</dd></div>` +
    `<div><dt>With a score</dt><dd>${s.withScore}</dd></div>${without}</dl>${chart(s)}</section>`;
}

function reasonList(title: string, reasons: readonly ReasonCount[]): string {
  const items = reasons.map((r) => `<li><span class="n">${r.count}</span> ${text(r.reason)}</li>`)
    .join("");
  return `<div><h3>${title}</h3>${
    items === "" ? '<p class="empty">No failures.</p>' : `<ol class="reasons">${items}</ol>`
  }</div>`;
}

function studentSection(v: StudentView): string {
  const scores = v.scores.map((s) =>
    `<li>Task ${s.task}: best <b>${s.best}/${s.outOf}</b> (reached ${
      time(s.bestAt)
    }), last ${s.last}, ${s.attempts} attempt${s.attempts === 1 ? "" : "s"}</li>`
  ).join("");
  const b = v.batch;
  const batch = b === null ? "" : `<h3>Batch grading of the submitted code</h3>` +
    `<p><b>${b.total}/${b.outOf}</b> (Task 1 ${b.task1}/50, Task 2 ${b.task2}/40), graded ${
      time(b.gradedAt)
    }</p>` +
    (b.items.length === 0
      ? ""
      : `<ul class="items">${
        b.items.map((i) => `<li>Task ${i.task} ${text(i.name)}: ${i.points}/${i.outOf}</li>`).join(
          "",
        )
      }</ul>`) +
    (b.problems.length === 0
      ? ""
      : `<ul class="problems">${b.problems.map((p) => `<li>${text(p)}</li>`).join("")}</ul>`) +
    (b.diagnosis === null ? "" : `<p class="cause">${text(b.diagnosis)}</p>`);
  return `<section id="student" class="student-view"><h2>Student ${text(v.studentId)}</h2>` +
    `<p><a href="/" class="back">&larr; back to the class</a></p>` +
    `<ul class="student-scores">${scores || "<li>No registered score.</li>"}</ul>${batch}` +
    `<h3>Every attempt (${v.attempts.length})</h3>${
      attemptTable("student-attempts", v.attempts, false)
    }` +
    `</section>`;
}

function sparkline(perMinute: readonly number[]): string {
  const max = Math.max(1, ...perMinute);
  const bars = perMinute.map((n, i) => {
    const h = n === 0 ? 0 : Math.max(1, Math.round((n / max) * 16));
    return `<rect x="${i * 4}" y="${16 - h}" width="3" height="${h}"></rect>`;
  }).join("");
  return `<svg class="spark" viewBox="0 0 ${
    perMinute.length * 4
  } 16" role="img" aria-label="attempts per minute, last ${perMinute.length} minutes: ${
    perMinute.join(", ")
  }">${bars}</svg>`;
}

const activeRow = (s: ActiveSession) => `<tr>${td(text(s.peer))}${td(time(s.since))}</tr>`;

function option(value: string, label: string, current: string | null): string {
  return `<option value="${value}"${current === value ? " selected" : ""}>${label}</option>`;
}

/**
 * The whole staff page for `state`: summary, charts and failure reasons
 * first, then the students and attempts; with `view.student`, that
 * student's own view.
 *
 * @example
 * ```ts
 * import { renderStaffPage, ScoreStore, staffState } from "@cs341/practice2/scores";
 * import assert from "node:assert/strict";
 *
 * await using store = await ScoreStore.open(":memory:");
 * await store.record(20200000, 1, 50);
 * await store.recordAttempt({ task: 1, studentId: 20200000, peer: "127.0.0.1:1", score: 0,
 *   message: "<b>" });
 * const html = renderStaffPage(await staffState(store, { maskIds: true }));
 * assert.match(html, />\*{5}000<\/a>/);
 * assert.match(html, /&lt;b&gt;/);
 * assert.doesNotMatch(html, /20200000/);
 * ```
 */
export function renderStaffPage(state: StaffState, view: StaffView = {}): string {
  const query = queryOf(state, view);
  const f = state.filter;
  const content = view.student !== undefined
    ? studentSection(view.student)
    : view.missingStudent !== undefined
    ? `<section id="student"><h2>No such student</h2><p><a href="/">&larr; back</a></p></section>`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CS341 Practice #2: staff page</title>
<link rel="stylesheet" href="/staff.css">
<script src="/staff.js" defer></script>
</head>
<body>
<header>
<h1>CS341 Practice #2 staff page</h1>
<p class="status"><span id="live" class="live">live</span>
updated ${time(state.generatedAt)}<span id="zone"></span>${
    state.maskIds ? " &middot; ids masked" : ""
  } &middot; <a href="/scores.csv${f.task === null ? "" : `?task=${f.task}`}">scores.csv</a>
<a href="/api/state">JSON</a></p>
</header>
<form id="filters" method="get" action="/">
<label>Student id <input name="prefix" inputmode="numeric" pattern="[0-9]{0,8}" maxlength="8" placeholder="prefix, e.g. 2020" value="${
    text(f.idPrefix)
  }"${state.maskIds ? ' disabled title="ids are masked"' : ""}></label>
<label>Task <select name="task">${option("", "both", f.task === null ? "" : null)}${
    option("1", "Task 1", f.task === null ? null : String(f.task))
  }${option("2", "Task 2", f.task === null ? null : String(f.task))}</select></label>
<label>Verdict <select name="verdict">${option("", "any", f.verdict ?? "")}${
    option("GOOD", "GOOD / full marks", f.verdict)
  }${option("FAIL", "FAIL / below full", f.verdict)}</select></label>
${view.sort && view.sort !== "id" ? `<input type="hidden" name="sort" value="${view.sort}">` : ""}${
    view.dir === "desc" ? '<input type="hidden" name="dir" value="desc">' : ""
  }
<button type="submit">Filter</button> <a href="/">clear</a>
</form>
<div id="content">
${content}
<div class="glance">
${state.summary.map(summaryCard).join("\n")}
<section class="card reasons-card"><h2>Most common failures</h2><div class="reason-cols">${
    reasonList("Last hour", state.reasons.lastHour)
  }${reasonList("All time", state.reasons.allTime)}</div></section>
<section class="card now"><h2>Now</h2><dl class="counts">
<div><dt>Open sessions</dt><dd id="active-count">${state.active.length}</dd></div>
<div><dt>Attempts, last minute</dt><dd id="rate">${state.perMinute.at(-1) ?? 0}</dd></div>
</dl>${sparkline(state.perMinute)}${
    state.active.length === 0
      ? ""
      : `<table id="active"><tbody>${state.active.map(activeRow).join("")}</tbody></table>`
  }</section>
</div>
<div class="tables">
<section class="students"><h2>Students</h2>
${studentTable(state, view, query)}</section>
<section class="recent"><h2>Recent attempts</h2>
${attemptTable("attempts", state.attempts, true)}</section>
</div>
</div>
</body>
</html>
`;
}
