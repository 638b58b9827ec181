/**
 * The shape both graders use to tell a student what went wrong: a
 * catalogue entry (one per mistake a grader can name, kept per task) and
 * the diagnosis found when a program's bytes match it. Only the shapes live
 * here; each task's catalogue is its own module.
 *
 * @module
 */

/** How much a diagnosis matters: a mistake costs points, a warning costs none. */
export type Severity = "mistake" | "warning" | "note";

/**
 * One mistake a grader can name: its id, what it tells the student and how
 * to fix it. `T` is the evidence the entry's test reads.
 */
export interface Mistake<T> {
  /** Stable id, `task1.checksum.not-complemented` style; listed in docs/mistakes.md. */
  readonly id: string;
  /** Whether it costs points. */
  readonly severity: Severity;
  /** A short title, e.g. "checksum not complemented". */
  readonly title: string;
  /** The evidence test: the message (the cause, in words a student acts on) when it matches. */
  readonly test: (evidence: T) => string | undefined;
  /** What to change in the program. */
  readonly fix: string;
}

/** A mistake found on the wire: the entry's id, severity, message and fix. */
export interface Diagnosis {
  /** The catalogue entry's id. */
  readonly id: string;
  /** Whether it costs points. */
  readonly severity: Severity;
  /** What was seen and what the student most likely did. */
  readonly message: string;
  /** What to change. */
  readonly fix: string;
}

/**
 * Every catalogue entry whose test matches `evidence`, in catalogue order.
 *
 * @example
 * ```ts
 * import { diagnose, type Mistake } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const catalogue: Mistake<number>[] = [{
 *   id: "demo.negative",
 *   severity: "mistake",
 *   title: "negative",
 *   test: (n) => n < 0 ? `got ${n}, below zero` : undefined,
 *   fix: "Send a count, never a difference.",
 * }];
 * assert.deepEqual(diagnose(catalogue, 3), []);
 * assert.equal(diagnose(catalogue, -1)[0]?.message, "got -1, below zero");
 * ```
 */
export function diagnose<T>(catalogue: readonly Mistake<T>[], evidence: T): Diagnosis[] {
  const found: Diagnosis[] = [];
  for (const entry of catalogue) {
    const message = entry.test(evidence);
    if (message !== undefined) {
      found.push({ id: entry.id, severity: entry.severity, message, fix: entry.fix });
    }
  }
  return found;
}

/**
 * Diagnoses gathered over one session: the first of each id is kept, in the
 * order found, and repeats of it are counted, so a mistake made in every
 * packet is named once.
 *
 * @example
 * ```ts
 * import { DiagnosisList } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const found = new DiagnosisList();
 * const d = { id: "demo.x", severity: "mistake", message: "packet 1: x", fix: "Do y." } as const;
 * found.add([d]);
 * found.add([{ ...d, message: "packet 2: x" }]);
 * assert.deepEqual(found.list().map((f) => f.message), ["packet 1: x (and 1 more like it)"]);
 * assert.equal(found.has("demo.x"), true);
 * ```
 */
export class DiagnosisList {
  readonly #found = new Map<string, { diagnosis: Diagnosis; more: number }>();

  /** Adds `found`: a new id is kept, a known one counted. */
  add(found: readonly Diagnosis[]): void {
    for (const diagnosis of found) {
      const known = this.#found.get(diagnosis.id);
      if (known) known.more++;
      else this.#found.set(diagnosis.id, { diagnosis, more: 0 });
    }
  }

  /** Whether a diagnosis with `id` was found. */
  has(id: string): boolean {
    return this.#found.has(id);
  }

  /** Every diagnosis, in the order first found, with its repeats counted in the message. */
  list(): Diagnosis[] {
    return [...this.#found.values()].map(({ diagnosis, more }) =>
      more === 0
        ? diagnosis
        : { ...diagnosis, message: `${diagnosis.message} (and ${more} more like it)` }
    );
  }
}

/**
 * The causes of `diagnoses` in one line for a message, at most `maxChars`
 * long: `LIKELY CAUSE: ...; ...`, or `""` when there are none.
 *
 * @example
 * ```ts
 * import { formatCauses } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const d = { id: "demo.x", severity: "mistake", message: "the sum was never complemented", fix: "" } as const;
 * assert.equal(formatCauses([d]), "LIKELY CAUSE: the sum was never complemented");
 * assert.equal(formatCauses([]), "");
 * assert.equal(formatCauses([d], 20).length, 20);
 * ```
 */
export function formatCauses(diagnoses: readonly Diagnosis[], maxChars = 1000): string {
  if (diagnoses.length === 0) return "";
  const line = `LIKELY CAUSE: ${diagnoses.map((d) => d.message).join("; ")}`;
  return line.length <= maxChars ? line : `${line.slice(0, maxChars - 3)}...`;
}
