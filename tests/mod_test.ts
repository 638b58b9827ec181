import assert from "node:assert/strict";
import config from "../deno.json" with { type: "json" };
import { ROOT } from "./helpers/processes.ts";

interface DocTag {
  kind: string;
  doc?: string;
}
interface DocSymbol {
  name: string;
  declarations: { kind: string; jsDoc?: { doc?: string; tags?: DocTag[] } }[];
}

const ENTRY_POINTS = Object.entries(config.exports as Record<string, string>);

async function symbolsOf(path: string): Promise<DocSymbol[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", path],
    cwd: ROOT,
    stdin: "null",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  const doc = JSON.parse(new TextDecoder().decode(output.stdout));
  return Object.values(doc.nodes as Record<string, { symbols: DocSymbol[] }>)
    .flatMap((node) => node.symbols);
}

Deno.test("deno.json exports the root and one entry point per wing", () => {
  assert.deepEqual(ENTRY_POINTS.map(([name]) => name), [
    ".",
    "./net",
    "./task1",
    "./task2",
    "./scores",
    "./cli",
  ]);
});

for (const [name, path] of ENTRY_POINTS) {
  const specifier = `${config.name}${name.slice(1)}`;
  Deno.test(`${specifier} documents every export; functions and classes have asserting examples`, async () => {
    const symbols = await symbolsOf(path);
    assert.ok(symbols.length >= 5, `${path} exports only ${symbols.length} symbols`);
    const undocumented = symbols.filter((symbol) =>
      !symbol.declarations.some((declaration) => declaration.jsDoc?.doc)
    ).map((symbol) => symbol.name);
    assert.deepEqual(undocumented, [], "exports without JSDoc");
    const examples = (symbol: DocSymbol) =>
      symbol.declarations.flatMap((declaration) =>
        (declaration.jsDoc?.tags ?? []).filter((tag) => tag.kind === "example")
      );
    const behaviour = symbols.filter((symbol) =>
      symbol.declarations.some((declaration) =>
        declaration.kind === "function" || declaration.kind === "class"
      )
    );
    // An example asserts, or is marked `no-assert` (std's convention) when it only shows usage.
    const weak = behaviour.filter((symbol) =>
      !examples(symbol).some((tag) =>
        (/\bassert(\.\w+)?\(/.test(tag.doc ?? "") ||
          /```\w*[^\n]*\bno-assert\b/.test(tag.doc ?? "")) &&
        /from "@cs341\/practice2(\/\w+)?"/.test(tag.doc ?? "")
      )
    ).map((symbol) => symbol.name);
    assert.deepEqual(weak, [], "functions and classes without an asserting (or no-assert) example");
    const relative = symbols.filter((symbol) =>
      examples(symbol).some((tag) => /from "\.\.?\//.test(tag.doc ?? ""))
    ).map((symbol) => symbol.name);
    assert.deepEqual(relative, [], "examples importing a relative path");
  });
}

Deno.test("the root module exports no plumbing", async () => {
  const names = new Set((await symbolsOf("mod.ts")).map((symbol) => symbol.name));
  for (const internal of ["closeQuietly", "withTimeout", "showBytes", "ByteSource", "writeAll"]) {
    assert.ok(!names.has(internal), `${internal} is exported from the root`);
  }
  for (const needed of ["encodePacket", "serveGrading", "serveCompute", "packetsOf"]) {
    assert.ok(names.has(needed), `${needed} is missing from the root`);
  }
});
