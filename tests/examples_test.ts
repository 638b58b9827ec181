/**
 * Runs every code example in the project's JSDoc, one test per example, all
 * in this one test module.
 *
 * `deno test --doc` runs them too, but gives each example a worker of its
 * own, at some 70 ms of CPU apiece: for about 140 examples, 12 s of the
 * 19 s of CPU the whole suite took. So `deno task test` type-checks the
 * examples with `deno test --doc --no-run` (as before, in place, beside the
 * file they document) and runs them here. Each example is still a module of
 * its own, imported in a test of its own, from a temporary file whose line
 * numbers are those of the documented file. Unlike `deno test --doc`, an
 * example must import what it uses, its own module's exports included.
 */

import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./helpers/processes.ts";

/** One fenced code block of a JSDoc comment. */
interface Example {
  /** Root-relative path of the documented file, with `/`. */
  file: string;
  /** 1-based line of the opening fence. */
  open: number;
  /** 1-based line of the closing fence. */
  close: number;
  /** The code, one entry per line, without the comment's ` * `. */
  lines: string[];
  /** Marked `no-assert` (std's convention): it only shows usage. */
  noAssert?: boolean;
}

/** The fence languages `deno test --doc` runs (no language: the file's own, TypeScript). */
const LANGUAGES = new Set([
  "",
  "js",
  "javascript",
  "mjs",
  "cjs",
  "jsx",
  "ts",
  "typescript",
  "mts",
  "cts",
  "tsx",
]);

/** Directories with no source of the project's own. */
const SKIPPED_DIRS = new Set([".git", "dist", "node_modules"]);

/** Every `.ts` file of the project, root-relative with `/`. */
async function sourceFiles(dir = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(join(ROOT, dir))) {
    const path = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory && !SKIPPED_DIRS.has(entry.name)) found.push(...await sourceFiles(path));
    else if (entry.isFile && entry.name.endsWith(".ts")) found.push(path);
  }
  return found.sort();
}

/** The runnable code blocks of the JSDoc comments in `text`, the source of `file`. */
function extractExamples(file: string, text: string): Example[] {
  const examples: Example[] = [];
  const lines = text.split("\n");
  let inComment = false;
  let fence: { open: number; run: boolean; lines: string[]; noAssert: boolean } | undefined;
  for (const [i, line] of lines.entries()) {
    if (!inComment) {
      inComment = /^\s*\/\*\*(?!\/)/.test(line) && !line.includes("*/");
      continue;
    }
    if (/\*\//.test(line)) {
      inComment = false;
      fence = undefined;
      continue;
    }
    const content = line.replace(/^\s*\* ?/, "");
    const marker = /^(\s*)```\s*([\w-]*)(.*)$/.exec(content);
    if (fence === undefined) {
      if (marker === null) continue;
      const [, , language = "", attributes = ""] = marker;
      const run = LANGUAGES.has(language.toLowerCase()) && !/\bignore\b/.test(attributes);
      fence = { open: i + 1, run, lines: [], noAssert: /\bno-assert\b/.test(attributes) };
    } else if (marker !== null && marker[2] === "" && marker[3]!.trim() === "") {
      if (fence.run) {
        const { open, lines, noAssert } = fence;
        examples.push({ file, open, close: i + 1, lines, ...(noAssert ? { noAssert } : {}) });
      }
      fence = undefined;
    } else {
      fence.lines.push(content);
    }
  }
  return examples;
}

/**
 * The module to import for `example`: its relative imports made absolute
 * (it runs from a temporary directory), and blank lines first, so that its
 * line numbers are those of the documented file.
 */
function exampleModule(example: Example, root: string = ROOT): string {
  const base = pathToFileURL(join(root, example.file));
  const code = example.lines.join("\n").replace(
    /(\bfrom\s*|\bimport\s*\(?\s*)(["'])(\.\.?\/[^"']*)\2/g,
    (_, keyword: string, quote: string, path: string) =>
      `${keyword}${quote}${new URL(path, base).href}${quote}`,
  );
  return "\n".repeat(example.open) + code + "\n";
}

const EXAMPLES: Example[] = [];
for (const file of await sourceFiles()) {
  EXAMPLES.push(...extractExamples(file, await Deno.readTextFile(join(ROOT, file))));
}

Deno.test("extractExamples() takes runnable fenced blocks of JSDoc comments only", () => {
  const source = [
    "/**", //                                    1
    " * Adds.", //                               2
    " *", //                                     3
    " * ```ts", //                               4
    ' * import { add } from "./add.ts";', //     5
    " *", //                                     6
    " * add(1, 2);", //                          7
    " * ```", //                                 8
    " * ```sh", //                               9
    " * deno task demo", //                      10
    " * ```", //                                 11
    " * ```ts ignore", //                        12
    " * const x: string = 1;", //                13
    " * ```", //                                 14
    " * ```ts no-assert", //                     15
    " * const y = 2;", //                        16
    " * ```", //                                 17
    " */", //                                    18
    "// ```ts", //                               19
    "const z = 3; /** ```ts */", //              20
  ].join("\n");
  const examples = extractExamples("lib/add.ts", source);
  assert.deepEqual(examples.map(({ open, close, lines }) => [open, close, lines]), [
    [4, 8, ['import { add } from "./add.ts";', "", "add(1, 2);"]],
    [15, 17, ["const y = 2;"]],
  ]);
  assert.deepEqual(examples.map((example) => example.noAssert ?? false), [false, true]);
  const module = exampleModule(examples[0]!, "/project");
  assert.equal(
    module.split("\n")[4],
    `import { add } from "${pathToFileURL("/project/lib/add.ts")}";`,
  );
  assert.equal(module.split("\n")[6], "add(1, 2);");
});

Deno.test("the JSDoc examples are found: over 100, in every wing", () => {
  assert.ok(EXAMPLES.length > 100, `only ${EXAMPLES.length} examples`);
  for (const wing of ["net", "task1", "task2", "scores", "cli"]) {
    assert.ok(EXAMPLES.some((example) => example.file.startsWith(`lib/${wing}/`)), wing);
  }
});

Deno.test("every example asserts, or is marked no-assert and then does not", () => {
  const asserts = (example: Example) =>
    example.lines.some((line) => /\bassert(\.\w+)?\s*\(/.test(line));
  const where = (example: Example) => `${example.file}:${example.open}`;
  assert.deepEqual(EXAMPLES.filter((e) => !e.noAssert && !asserts(e)).map(where), []);
  assert.deepEqual(EXAMPLES.filter((e) => e.noAssert && asserts(e)).map(where), []);
  assert.ok(EXAMPLES.some((e) => e.noAssert), "no example is marked no-assert");
});

for (const example of EXAMPLES) {
  Deno.test(`${example.file}#${example.open}-${example.close + 1}`, async () => {
    assert.ok(
      !example.lines.some((line) => /\bDeno\.test\s*\(/.test(line)),
      "an example that declares its own tests needs deno test --doc",
    );
    const dir = await Deno.makeTempDir({ prefix: "cs341_example_" });
    try {
      const path = join(dir, `${basename(example.file)}#${example.open}.ts`);
      await Deno.writeTextFile(path, exampleModule(example));
      await import(pathToFileURL(path).href);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
