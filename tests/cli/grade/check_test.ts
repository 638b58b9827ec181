import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { checkClient, checkServer, formatCard, reportCard } from "../../../lib/cli/grade/mod.ts";
import { runBounded } from "../../../lib/cli/grade/sandbox.ts";
import { PYTHON } from "../../helpers/students.ts";

const FIXTURES = fileURLToPath(new URL("../../fixtures/grade", import.meta.url));
const options = { cwd: FIXTURES, limits: { timeMs: 60_000 } };

Deno.test("checkClient() gives a right client 50 and sees its KEY:, Score:, Message: lines", async () => {
  const check = await checkClient(`${PYTHON} good_client.py`, 20200000, options);
  assert.equal(check.score, 50, check.stderr);
  assert.deepEqual(check.items, { header: 10, received: 10, length: 15, data: 15 });
  assert.deepEqual(check.printed, { key: true, score: true, message: true });
  assert.deepEqual(check.problems, []);
  assert.deepEqual(check.diagnoses, []);
});

Deno.test("checkClient() names a client that never decrypts", async () => {
  const check = await checkClient(`${PYTHON} bad_client.py`, 20200000, options);
  assert.equal(check.score, 35);
  assert.deepEqual(check.items, { header: 10, received: 10, length: 15, data: 0 });
  const card = formatCard(reportCard(check, undefined));
  assert.ok(card.includes("  decrypted data 0/15"), card.join("\n"));
  assert.ok(card.includes("  reply length 15/15"), card.join("\n"));
  assert.ok(check.diagnoses.some((d) => /not decrypted/.test(d.message)), check.message);
  assert.equal(check.printed.score, true);
});

Deno.test("checkClient() reports a client that crashes, with its traceback", async () => {
  const check = await checkClient(`${PYTHON} -c "raise SystemExit(1/0)"`, 20200000, options);
  assert.equal(check.score, 0);
  assert.match(check.message, /never connected/);
  assert.ok(
    check.problems.some((p) => /traceback: ZeroDivisionError/.test(p)),
    check.problems.join(),
  );
});

Deno.test("checkServer() gives a right server 40 and the card 90/90", async () => {
  const [task1, task2] = await Promise.all([
    checkClient(`${PYTHON} good_client.py`, 20200000, options),
    checkServer(`${PYTHON} good_server.py`, options),
  ]);
  assert.equal(task2.score.total, 40, task2.stderr);
  assert.deepEqual(task2.problems, []);
  const card = reportCard(task1, task2);
  assert.deepEqual([card.total, card.max], [90, 90]);
  assert.equal(formatCard(card).at(-1), "Total: 90/90");
});

Deno.test("runBounded() kills a program past its time limit, children included", async () => {
  const run = runBounded("sh -c 'sleep 60 & sleep 60'", [], FIXTURES, { timeMs: 300 });
  const end = await run.ended;
  assert.equal(end.timedOut, true);
});

Deno.test("runBounded() keeps only the output cap of a flood", async () => {
  const run = runBounded("head -c 200000 /dev/zero", [], FIXTURES, { outputBytes: 1000 });
  const end = await run.ended;
  assert.equal(run.stdout().length, 1000);
  assert.equal(end.droppedBytes, 199_000);
});

Deno.test("server grade exits 0 at full marks and 1 below, with a --json card", async () => {
  const run = (client: string) =>
    new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        fileURLToPath(new URL("../../../server.ts", import.meta.url)),
        "grade",
        `--client=${PYTHON} ${client}`,
        "--json",
      ],
      cwd: FIXTURES,
      stdout: "piped",
      stderr: "piped",
    }).output();
  const [good, bad] = await Promise.all([run("good_client.py"), run("bad_client.py")]);
  assert.equal(good.code, 0, new TextDecoder().decode(good.stderr));
  assert.equal(bad.code, 1);
  const card = JSON.parse(new TextDecoder().decode(bad.stdout));
  assert.deepEqual([card.total, card.max, card.task1.score], [35, 50, 35]);
});
