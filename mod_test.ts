import assert from "node:assert/strict";
import { ROOT } from "./testing/processes.ts";

interface DocSymbol {
  name: string;
  declarations: { jsDoc?: { doc?: string; tags?: { kind: string; doc?: string }[] } }[];
}

Deno.test("mod.ts gives every export JSDoc with an asserting @example", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", "mod.ts"],
    cwd: ROOT,
    stdin: "null",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const doc = JSON.parse(new TextDecoder().decode(output.stdout));
  const symbols: DocSymbol[] = Object.values(doc.nodes as Record<string, { symbols: DocSymbol[] }>)
    .flatMap((node) => node.symbols);
  assert.ok(symbols.length > 30, `only ${symbols.length} exports`);
  const missing = symbols.filter((symbol) =>
    !symbol.declarations.some((declaration) =>
      declaration.jsDoc?.doc &&
      declaration.jsDoc.tags?.some((tag) => tag.kind === "example" && /assert/.test(tag.doc ?? ""))
    )
  ).map((symbol) => symbol.name);
  assert.deepEqual(missing, []);
});
