import assert from "node:assert/strict";
import { createProgress } from "../../lib/cli/mod.ts";
import { ROOT } from "../helpers/processes.ts";

Deno.test("createProgress() piped shows one line per stage and no live updates", () => {
  let out = "";
  const progress = createProgress({ write: (text) => out += text, isTerminal: false });
  progress.stage("a");
  progress.update("live");
  progress.stage("b");
  progress.done();
  assert.equal(out, "a\nb\n");
});

Deno.test("createProgress() on a terminal rewrites the live line and clears it for a stage", () => {
  let out = "";
  const progress = createProgress({ write: (text) => out += text, isTerminal: true });
  progress.update("1 of 2");
  progress.stage("a");
  assert.equal(out, "\r\x1b[2K1 of 2\r\x1b[2Ka\n");
});

Deno.test("onInterrupt() prints the partial summary on SIGINT and exits non-zero", async () => {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tests/fixtures/progress_child.ts"],
    cwd: ROOT,
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("step 1\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  assert.ok(text.includes("step 1\n"), text);
  child.kill("SIGINT");
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const status = await child.status;
  assert.equal(status.code, 130);
  assert.match(text, /interrupted: \d+ steps measured\n$/);
});
