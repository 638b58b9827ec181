/**
 * Plain-text tables for the programs' reports.
 *
 * @module
 */

/** How {@linkcode formatTable} lays a table out. */
export interface TableOptions {
  /** Columns padded on the right (text); the others are padded on the left (figures). Default: `[0]`. */
  left?: readonly number[];
  /** A dashed rule under the header. Default: true. */
  rule?: boolean;
}

/**
 * A plain-text table: columns padded to their widest cell and two spaces
 * apart, lines without trailing spaces.
 *
 * @example
 * ```ts
 * import { formatTable } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   formatTable(["name", "ms"], [["ours", "1.5"], ["Python", "12.0"]]),
 *   "name      ms\n------  ----\nours     1.5\nPython  12.0",
 * );
 * assert.equal(formatTable(["a", "b"], [["x", "yy"]], { left: [0, 1], rule: false }), "a  b\nx  yy");
 * ```
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  { left = [0], rule = true }: TableOptions = {},
): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length))
  );
  const line = (cells: readonly string[]) =>
    widths.map((width, column) => {
      const cell = cells[column] ?? "";
      return left.includes(column) ? cell.padEnd(width) : cell.padStart(width);
    }).join("  ").trimEnd();
  const dashes = rule ? [widths.map((width) => "-".repeat(width)).join("  ")] : [];
  return [line(header), ...dashes, ...rows.map(line)].join("\n");
}
