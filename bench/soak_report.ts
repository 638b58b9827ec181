/**
 * Pure helpers of the soak run (bench/soak.ts): tallies of errors and
 * outcomes, /proc parsing (peak RSS, open-file limits), a seeded random
 * source, and the plain-text report. No I/O, so tests/bench/soak_test.ts checks
 * them directly.
 *
 * @module
 */

import { showText } from "@cs341/practice2/net";
import { formatFigure, formatTable, type LatencySummary } from "./report.ts";
import { xorshift } from "./fixtures.ts";

/** The kinds of failure a well-formed client can meet. */
export type ErrorKind =
  | "connect"
  | "timeout"
  | "closed"
  | "reset"
  | "io"
  | "bad-uuid"
  | "wrong-answer"
  | "error-reply"
  | "not-closed"
  | "bad-score"
  | "not-stored"
  | "protocol"
  | "unfinished";

/** A failure with its kind, thrown by the soak's clients. */
export class SoakError extends Error {
  override name = "SoakError";
  /** What kind of failure it was. */
  readonly kind: ErrorKind;

  /** A `kind` failure described by `message`. */
  constructor(kind: ErrorKind, message: string, options?: ErrorOptions) {
    super(message, options);
    this.kind = kind;
  }
}

/** Counts by label, remembering the first detail seen for each. */
export class Tally {
  readonly #counts = new Map<string, { count: number; example: string }>();

  /** Counts one `label`; the first `detail` per label is kept (escaped, at most 100 chars). */
  add(label: string, detail = ""): void {
    const entry = this.#counts.get(label);
    if (entry) entry.count++;
    else this.#counts.set(label, { count: 1, example: showText(detail).slice(0, 100) });
  }

  /** The sum of all counts. */
  get total(): number {
    let sum = 0;
    for (const { count } of this.#counts.values()) sum += count;
    return sum;
  }

  /** Label, count and example, most frequent first (then by label). */
  entries(): { label: string; count: number; example: string }[] {
    return [...this.#counts].map(([label, entry]) => ({ label, ...entry }))
      .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  }
}

/** One field (`VmHWM`, `VmRSS`, ...) of /proc/PID/status in KiB; NaN when absent. */
export function statusKiB(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(status);
  return match ? Number(match[1]) : NaN;
}

/** The soft and hard "Max open files" of /proc/PID/limits (Infinity for unlimited). */
export function openFilesLimit(limits: string): { soft: number; hard: number } | undefined {
  const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  if (!match) return undefined;
  const value = (text: string) => text === "unlimited" ? Infinity : Number(text);
  const soft = value(match[1]!);
  const hard = value(match[2]!);
  return Number.isNaN(soft) || Number.isNaN(hard) ? undefined : { soft, hard };
}

/** A seeded random source in [0, 1) (fixtures.ts's xorshift32), so a run can be repeated. */
export function seededRandom(seed: number): () => number {
  const next = xorshift(seed);
  return () => next() / 4294967296;
}

/** How one group of well-formed clients did. */
export interface GroupResult {
  /** Clients started. */
  clients: number;
  /** Clients that finished with every check passed. */
  ok: number;
  /** Most clients open at the same time. */
  peakOpen: number;
  /**
   * Time per passing client, ms: a Task 2 client's from the moment every
   * client was connected (its requests and COMPLETE), a Task 1 session's whole.
   */
  ms: LatencySummary;
  /** When the group's last client ended, ms after the run began. */
  doneMs: number;
}

/** What a soak run found (see bench/soak_run.ts). */
export interface SoakResult {
  task2: GroupResult;
  task1: GroupResult;
  /** A fresh Task 2 client after everything else ended, alone (the unloaded baseline). */
  freshTask2: GroupResult;
  /** A fresh Task 1 session after that, alone. */
  freshTask1: GroupResult;
  /** Errors of the well-formed clients, by `group kind`. */
  errors: Tally;
  /** How each malformed client ended, by `kind: outcome`. */
  malformed: Tally;
  /** Malformed clients whose outcome was not the expected one. */
  unexpected: number;
  /** Most malformed clients connected at once. */
  malformedPeakOpen: number;
  /** Milliseconds from the first connection to the last client's end. */
  durationMs: number;
  /** True when the hard time limit cut the run short. */
  capped: boolean;
}

/** A server's memory, in KiB. */
export interface ServerMemory {
  label: string;
  idleKiB: number;
  endKiB: number;
  peakKiB: number;
}

/** The whole report: the result plus figures measured around it. */
export interface SoakReport {
  result: SoakResult;
  servers: ServerMemory[];
  loadStart: string;
  loadEnd: string;
  settings: Record<string, number | string>;
}

/** A label/count table with each row's example, left-aligned, after it. */
function withExamples(
  header: [string, string],
  entries: readonly { label: string; count: number; example: string }[],
): string {
  const table = formatTable(header, entries.map((e) => [e.label, String(e.count)])).split("\n");
  return table.map((line, i) => {
    if (i === 0) return `${line}  first example`;
    const example = i >= 2 ? entries[i - 2]!.example : "";
    return example === "" ? line : `${line}  ${example}`;
  }).join("\n");
}

const mib = (kib: number) => `${formatFigure(kib / 1024)} MiB`;

/** The report as aligned plain text. */
export function formatSoakReport(report: SoakReport): string {
  const { result } = report;
  const lines: string[] = [];
  const settings = Object.entries(report.settings).map(([key, value]) => `${key}=${value}`);
  lines.push(`Soak: ${settings.join(" ")}`);
  lines.push(
    `Duration ${formatFigure(result.durationMs / 1000)} s${
      result.capped ? " (cut at limit)" : ""
    }` +
      `; load average ${report.loadStart} at start, ${report.loadEnd} at end`,
  );
  lines.push("");
  const group = (label: string, g: GroupResult) => [
    label,
    String(g.clients),
    String(g.ok),
    String(g.clients - g.ok),
    String(g.peakOpen),
    formatFigure(g.ms.p50),
    formatFigure(g.ms.p99),
    formatFigure(g.ms.max),
    formatFigure(g.doneMs),
  ];
  lines.push(
    formatTable(
      [
        "well-formed",
        "clients",
        "ok",
        "failed",
        "peak open",
        "p50 ms",
        "p99 ms",
        "max ms",
        "done ms",
      ],
      [
        group("Task 2 clients", result.task2),
        group("  fresh, alone", result.freshTask2),
        group("Task 1 sessions", result.task1),
        group("  fresh, alone", result.freshTask1),
      ],
    ),
  );
  lines.push(
    "(Task 2 times run from the moment all clients were connected; done: last one ended)",
  );
  lines.push("");
  const errors = result.errors.entries();
  if (errors.length === 0) lines.push("Errors among well-formed clients: 0");
  else {
    lines.push(`Errors among well-formed clients: ${result.errors.total}`);
    lines.push(withExamples(["group kind", "count"], errors));
  }
  lines.push("");
  lines.push(
    `Malformed clients: ${result.malformed.total} (peak open ${result.malformedPeakOpen}), ` +
      `${result.unexpected} with an unexpected outcome`,
  );
  lines.push(withExamples(["kind: outcome", "count"], result.malformed.entries()));
  if (report.servers.length > 0) {
    lines.push("");
    lines.push(formatTable(
      ["server", "RSS idle", "RSS end", "peak RSS (VmHWM)"],
      report.servers.map((s) => [s.label, mib(s.idleKiB), mib(s.endKiB), mib(s.peakKiB)]),
    ));
  }
  return lines.join("\n");
}

/** The report as a plain object for `--json`. */
export function soakReportJson(report: SoakReport): unknown {
  const { result } = report;
  return {
    settings: report.settings,
    durationMs: Math.round(result.durationMs),
    capped: result.capped,
    loadAverage: { start: report.loadStart, end: report.loadEnd },
    wellFormed: {
      task2: result.task2,
      task1: result.task1,
      freshTask2: result.freshTask2,
      freshTask1: result.freshTask1,
    },
    errors: { total: result.errors.total, byKind: result.errors.entries() },
    malformed: {
      total: result.malformed.total,
      unexpected: result.unexpected,
      peakOpen: result.malformedPeakOpen,
      outcomes: result.malformed.entries(),
    },
    servers: report.servers,
  };
}
