import assert from "node:assert/strict";
import { serveGrading } from "../../../lib/task1/grading/grading_server.ts";
import type { GradingOutcome } from "../../../lib/task1/grading/grading_outcome.ts";
import { HAS_PYTHON, runStudent } from "../../helpers/students.ts";

const ignore = !HAS_PYTHON; // reported as ignored: python3 is not installed

/** Grades one Python client; its outcome and what it printed. */
async function grade(file: string): Promise<{ outcome: GradingOutcome; stdout: string }> {
  const outcomes: GradingOutcome[] = [];
  await using server = serveGrading({
    hostname: "127.0.0.1",
    drainMs: 200,
    log: () => {},
    onOutcome: (outcome) => outcomes.push(outcome),
  });
  const run = await runStudent(
    file,
    "--host=127.0.0.1",
    `--port=${server.port}`,
    "--studentID=20200000",
  );
  assert.equal(outcomes.length, 1, run.stderr);
  return { outcome: outcomes[0]!, stdout: run.stdout };
}

function ids(outcome: GradingOutcome): string[] {
  return outcome.diagnoses.map((d) => d.id);
}

Deno.test({
  name: "the grading server names the one mistake of each Python student client",
  ignore,
  async fn() {
    const cases: [string, number, string[]][] = [
      ["client_not_complemented.py", 0, ["task1.checksum.not-complemented"]],
      ["client_native_order.py", 0, [
        "task1.header.flag-little-endian",
        "task1.header.sid-little-endian",
        "task1.header.length-little-endian",
      ]],
      ["client_last_not_decrypted.py", 35, ["task1.reply.not-decrypted"]],
      ["client_submit_keyword.py", 40, ["task1.reply.wrong-keyword"]],
    ];
    for (const [file, score, expected] of cases) {
      const { outcome, stdout } = await grade(file);
      assert.deepEqual(
        [file, outcome.score, ids(outcome)],
        [file, score, expected],
        outcome.message,
      );
      // The client printed the cause the server sent.
      assert.match(stdout, /^KEY: FAIL\nScore: \d+\nMessage: .*LIKELY CAUSE: /m, file);
    }
  },
});

Deno.test({
  name: "the grading server gives a right Python client 50 and names nothing",
  ignore,
  async fn() {
    const { outcome, stdout } = await grade("client_right.py");
    assert.deepEqual([outcome.score, outcome.diagnoses], [50, []]);
    assert.match(stdout, /^KEY: GOOD\nScore: 50\nMessage: DECRYPTED DATA MATCH/);
  },
});
