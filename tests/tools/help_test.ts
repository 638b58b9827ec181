import assert from "node:assert/strict";
import { HELP_WIDTH } from "../../lib/cli/mod.ts";
import { ROOT, runProgram } from "../helpers/processes.ts";

/** Every runnable program under tools/ (a file with `import.meta.main`), and the two CLIs. */
async function programs(): Promise<string[]> {
  const found = [
    "client.ts",
    "client.ts --task=2",
    "server.ts",
    "server.ts --task=1",
    "server.ts scores",
    "server.ts grade",
  ];
  for await (const entry of Deno.readDir(`${ROOT}/tools`)) {
    if (!entry.isFile || !entry.name.endsWith(".ts")) continue;
    const text = await Deno.readTextFile(`${ROOT}/tools/${entry.name}`);
    if (text.includes("import.meta.main")) found.push(`tools/${entry.name}`);
  }
  return found.sort();
}

Deno.test("every tools/ program and CLI prints --help within 100 columns and exits 0", async () => {
  const list = await programs();
  assert.ok(list.includes("tools/demo.ts") && list.includes("tools/compile.ts"), String(list));
  for (const program of list) {
    const [file, ...sub] = program.split(" ") as [string, ...string[]];
    const { code, stdout } = await runProgram(file, ...sub, "--help");
    assert.equal(code, 0, program);
    assert.match(stdout, /^Usage: /, program);
    for (const line of stdout.split("\n")) {
      assert.ok(line.length <= HELP_WIDTH, `${program}: ${line.length} columns: ${line}`);
    }
  }
});

Deno.test("every tools/ program and CLI refuses an unknown flag with exit 2 and one clear line", async () => {
  for (const program of await programs()) {
    const [file, ...sub] = program.split(" ") as [string, ...string[]];
    const { code, stderr } = await runProgram(file, ...sub, "--bogus-flag");
    assert.equal(code, 2, program);
    assert.match(stderr, /^error: Unknown flag --bogus-flag\n/, program);
    assert.ok(!stderr.includes("    at "), `${program} printed a stack trace: ${stderr}`);
  }
});
