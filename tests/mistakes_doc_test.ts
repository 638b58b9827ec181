import assert from "node:assert/strict";
import { TASK1_MISTAKES } from "../lib/task1/protocol/mistakes.ts";
import { TASK2_MISTAKES } from "../lib/task2/client/mistakes.ts";

const doc = await Deno.readTextFile(new URL("../docs/mistakes.md", import.meta.url));

/** The ids in the first column of the doc's tables, in order. */
function documentedIds(): string[] {
  return [...doc.matchAll(/^\| `(task[12]\.[a-z0-9.-]+)`/gm)].map((match) => match[1]!);
}

Deno.test("docs/mistakes.md lists exactly the catalogues' ids, ", () => {
  const catalogue = [...TASK1_MISTAKES, ...TASK2_MISTAKES].map((entry) => entry.id);
  assert.deepEqual(documentedIds().toSorted(), catalogue.toSorted());
  assert.equal(new Set(catalogue).size, catalogue.length, "an id is used twice");
});

Deno.test("docs/mistakes.md marks exactly the warnings as warnings", () => {
  const warned = [...doc.matchAll(/^\| `(task[12]\.[a-z0-9.-]+)` \(warning\)/gm)].map((m) => m[1]);
  const warnings = [...TASK1_MISTAKES, ...TASK2_MISTAKES]
    .filter((entry) => entry.severity === "warning")
    .map((entry) => entry.id);
  assert.deepEqual(warned.toSorted(), warnings.toSorted());
});
