import assert from "node:assert/strict";
import { HELP_WIDTH } from "../../lib/cli/mod.ts";
import { ROOT, runProgram } from "../helpers/processes.ts";

/** Every runnable program under tools/ and bench/ (not `deno bench` suites), and the two CLIs. */
async function programs(): Promise<string[]> {
  const found = [
    "client.ts",
    "client.ts --task=2",
    "server.ts",
    "server.ts --task=1",
    "server.ts scores",
    "server.ts grade",
  ];
  for (const dir of ["tools", "bench"]) {
    for await (const entry of Deno.readDir(`${ROOT}/${dir}`)) {
      if (!entry.isFile || !entry.name.endsWith(".ts") || entry.name.endsWith("_bench.ts")) {
        continue;
      }
      const text = await Deno.readTextFile(`${ROOT}/${dir}/${entry.name}`);
      // A program: it runs on import.meta.main, or at its top level on Deno.args.
      if (text.includes("import.meta.main") || text.includes("Deno.args")) {
        found.push(`${dir}/${entry.name}`);
      }
    }
  }
  return found.sort();
}

Deno.test("every tools/ and bench/ program and CLI prints --help within 100 columns and exits 0", async () => {
  const list = await programs();
  assert.ok(list.includes("tools/demo.ts") && list.includes("tools/compile.ts"), String(list));
  assert.ok(
    list.includes("bench/soak.ts") && list.includes("bench/compare.ts"),
    String(list),
  );
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

Deno.test("every tools/ and bench/ program and CLI refuses an unknown flag with exit 2 and one clear line", async () => {
  for (const program of await programs()) {
    const [file, ...sub] = program.split(" ") as [string, ...string[]];
    const { code, stderr } = await runProgram(file, ...sub, "--bogus-flag");
    assert.equal(code, 2, program);
    assert.match(stderr, /^error: Unknown flag --bogus-flag\n/, program);
    assert.ok(!stderr.includes("    at "), `${program} printed a stack trace: ${stderr}`);
  }
});
