import assert from "node:assert/strict";
import fc from "../helpers/fast_check.ts";
import { parseRoster } from "../../lib/scores/roster.ts";

const id = fc.integer({ min: 10_000_000, max: 99_999_999 });
const comment = fc.constantFrom("", "  # late", "\t#", " # 2020 fall");

// A BOM (from a spreadsheet or a Windows editor) is whitespace to trim().
Deno.test("parseRoster() reads any ids with comments, blank lines, CRLF and a BOM", () => {
  fc.assert(fc.property(
    fc.array(fc.tuple(id, comment, fc.boolean())),
    fc.boolean(),
    fc.constantFrom("\n", "\r\n"),
    (lines, bom, eol) => {
      const text = lines.map(([n, note, blank]) => `${blank ? eol : ""} ${n}${note}`).join(eol);
      const roster = parseRoster((bom ? "\uFEFF" : "") + text);
      assert.deepEqual(roster, new Set(lines.map(([n]) => n)));
    },
  ));
});

Deno.test("parseRoster() names the first line that is not an id", () => {
  fc.assert(fc.property(
    fc.array(id, { maxLength: 5 }),
    fc.constantFrom("2020", "202000001", "0200000a", "20200000,Kim"),
    (before, bad) => {
      const text = [...before, bad, "20200000"].join("\n");
      assert.throws(() => parseRoster(text), {
        message: `Roster line ${before.length + 1}: '${bad}' is not an 8-digit student id`,
      });
    },
  ));
});
