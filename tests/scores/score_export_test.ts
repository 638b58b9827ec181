import assert from "node:assert/strict";
import fc from "../helpers/fast_check.ts";
import { csvField, formatCsv, maskId } from "../../lib/scores/score_export.ts";

/** Reads one RFC 4180 field back (the whole text is one field). */
function unquote(field: string): string {
  if (!field.startsWith('"')) return field;
  assert.ok(field.endsWith('"') && field.length >= 2);
  const inner = field.slice(1, -1);
  assert.doesNotMatch(inner.replaceAll('""', ""), /"/);
  return inner.replaceAll('""', '"');
}

Deno.test("csvField() round-trips any text and quotes exactly when needed", () => {
  // Mostly the characters that matter to CSV, plus any text.
  const special = fc.string({ unit: fc.constantFrom('"', ",", "\r", "\n", "a", "\u00e9", " ") });
  fc.assert(fc.property(fc.oneof(special, fc.string({ unit: "grapheme" })), (text) => {
    const field = csvField(text);
    assert.equal(unquote(field), text);
    assert.equal(field.startsWith('"'), /[",\r\n]/.test(text));
  }));
});

Deno.test("formatCsv() masks ids when asked, and is UTF-8 text with a header", () => {
  const row = {
    studentId: 20201234,
    task: 1 as const,
    best: 50,
    last: 50,
    attempts: 1,
    bestAt: "2026-11-24T06:00:49.660Z",
    lastAt: "2026-11-24T06:00:49.660Z",
  };
  const csv = formatCsv([row], { maskIds: true });
  assert.match(csv, /\r\n\*{5}234,1,50,50,50,1,/);
  assert.equal(maskId("20200000"), "*****000");
  assert.equal(formatCsv([]), "student_id,task,best,out_of,last,attempts,best_at,last_at\r\n");
});
