import assert from "node:assert/strict";
import fc from "../helpers/fast_check.ts";
import { formatTable } from "../../lib/cli/table.ts";

Deno.test("formatTable() pads every column to its widest cell, text left and figures right", () => {
  assert.equal(
    formatTable(["id", "score", "when"], [["20200000", "50", "today"], ["1", "5", "now"]], {
      left: [0, 2],
    }),
    [
      "id        score  when",
      "--------  -----  -----",
      "20200000     50  today",
      "1             5  now",
    ].join("\n"),
  );
  const cell = fc.string({ unit: fc.constantFrom("a", "b", "1", "x"), minLength: 1 });
  fc.assert(fc.property(fc.array(fc.tuple(cell, cell, cell), { maxLength: 20 }), (rows) => {
    const lines = formatTable(["one", "two", "three"], rows, { rule: false }).split("\n");
    assert.equal(lines.length, rows.length + 1);
    // The last column is right-aligned and never empty: every line is as long as the header's.
    for (const line of lines) assert.equal(line.length, lines[0]!.length);
    for (const [i, row] of rows.entries()) assert.ok(lines[i + 1]!.endsWith(row[2]));
  }));
});
