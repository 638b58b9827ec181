import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { checkServer, formatCard, reportCard } from "../../../lib/cli/grade/mod.ts";
import { PYTHON } from "../../helpers/students.ts";

// checkServer() apart from checkClient() (check_test.ts): the two files run
// side by side, each a few seconds of Python programs.
const FIXTURES = fileURLToPath(new URL("../../fixtures/grade", import.meta.url));
const options = { cwd: FIXTURES, limits: { timeMs: 60_000 } };

Deno.test("checkServer() names a shifted Fibonacci sequence", async () => {
  const check = await checkServer(`${PYTHON} bad_server.py`, options);
  // F(n-1) = F(n) for n = 2, so a client whose two n were 2 may keep its FIBONACCI points.
  assert.ok(check.score.fibonacci.points < 10);
  assert.equal(check.score.total, 30 + check.score.fibonacci.points);
  assert.ok(check.diagnoses.some((d) => /shifted by one/.test(d.message)));
});

Deno.test("checkServer() starts again on another port when the bind was refused", async () => {
  // The first start fails as a bind to a taken port does; the second serves.
  const marker = await Deno.makeTempFile({ prefix: "cs341_bind_" });
  await Deno.remove(marker);
  const script = `import os, sys, runpy
if not os.path.exists(${JSON.stringify(marker)}):
    open(${JSON.stringify(marker)}, "w").close()
    sys.exit("OSError: [Errno 98] Address already in use")
sys.argv = ["good_server.py"] + sys.argv[1:]
runpy.run_path("good_server.py", run_name="__main__")`;
  try {
    const check = await checkServer(`${PYTHON} -c '${script}'`, options);
    assert.equal(check.listened, true, check.problems.join());
    assert.equal(check.score.total, 40, check.stderr);
  } finally {
    await Deno.remove(marker).catch(() => {});
  }
});

Deno.test("checkServer() says when the program never listened, with its output", async () => {
  const check = await checkServer(`${PYTHON} -c "import sys; sys.exit('no port for me')"`, options);
  assert.equal(check.listened, false);
  assert.equal(check.score.total, 0);
  assert.match(check.problems[0]!, /never listened/);
  assert.match(formatCard(reportCard(undefined, check)).join("\n"), /no port for me/);
});
