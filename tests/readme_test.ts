/**
 * The README and docs/ say only what the programs do: every `deno task` they
 * name exists, and every flag in a documented command line is one the role
 * it runs lists in its `--help`.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { ROOT, runProgram } from "./helpers/processes.ts";

async function documents(): Promise<[string, string][]> {
  const found: [string, string][] = [[
    "README.md",
    await Deno.readTextFile(join(ROOT, "README.md")),
  ]];
  for await (const entry of Deno.readDir(join(ROOT, "docs"))) {
    if (entry.isFile && entry.name.endsWith(".md")) {
      found.push([`docs/${entry.name}`, await Deno.readTextFile(join(ROOT, "docs", entry.name))]);
    }
  }
  return found;
}

const TASKS = Object.keys(
  JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json"))).tasks as Record<string, string>,
);

Deno.test("every `deno task` the README and docs name exists in deno.json", async () => {
  const named = new Set<string>();
  for (const [, text] of await documents()) {
    for (const match of text.matchAll(/deno(?:@[\d.]+)? task ([a-z][a-z0-9:-]*)/g)) {
      named.add(match[1]!);
    }
  }
  assert.ok(named.has("test") && named.has("client"), [...named].join());
  for (const name of named) {
    assert.ok(TASKS.includes(name), `deno task ${name} is not in deno.json`);
  }
});

/** The program and role-choosing arguments of a documented command line. */
function roleOf(words: string[]): [string, string[]] | undefined {
  const [first, second, third] = words;
  const pick = (arg: string) => words.filter((word) => word.startsWith(arg));
  let file: string;
  let role: string[] = [];
  if (first === "./client" || (first === "deno" && second === "task" && third === "client")) {
    file = "client.ts";
    role = [...pick("--task="), ...pick("--submit")];
  } else if (first === "./server" && (second === "scores" || second === "grade")) {
    file = "server.ts";
    role = [second];
  } else if (first === "./server" || (second === "task" && third === "server")) {
    file = "server.ts";
    role = pick("--task=");
  } else if (second === "task" && third === "grading-server") {
    file = "server.ts";
    role = ["--task=1"];
  } else if (second === "task" && third === "grade") file = "lib/cli/grade/grade.ts";
  else if (second === "task" && third === "scores") file = "lib/cli/scores.ts";
  else return undefined;
  return [file, role];
}

Deno.test("every flag in a documented command line is in its role's --help", async () => {
  let checked = 0;
  // One --help run per role: many documented lines share a role, and its help never changes.
  const helps = new Map<string, ReturnType<typeof runProgram>>();
  for (const [doc, text] of await documents()) {
    for (const line of text.split("\n")) {
      const command = line.replace(/^\s*(npx -y deno@[\d.]+ )?/, (_, npx) => npx ? "deno " : "")
        .split(/\s(#|>|\|)\s/)[0]!.trim();
      const words = command.split(/\s+/);
      const role = roleOf(words);
      if (role === undefined) continue;
      const [file, args] = role;
      const flags = words.filter((word) => word.startsWith("--"))
        .map((word) => word.replace(/=.*$/, ""));
      const key = [file, ...args].join(" ");
      if (!helps.has(key)) helps.set(key, runProgram(file, ...args, "--help"));
      const help = await helps.get(key)!;
      assert.equal(help.code, 0, `${doc}: ${command}: --help failed: ${help.stderr}`);
      for (const flag of flags) {
        assert.ok(
          help.stdout.includes(`${flag}`) || flag === "--help" || flag === "--version",
          `${doc}: '${command}' uses ${flag}, which ${file} ${args.join(" ")} --help does not list`,
        );
      }
      checked++;
    }
  }
  assert.ok(checked >= 10, `only ${checked} command lines checked`);
});
