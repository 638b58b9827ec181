import assert from "node:assert/strict";
import { runTestClient, type TestClientOptions } from "../../../lib/task2/client/test_client.ts";
import { startServer } from "../../helpers/processes.ts";
import { HAS_PYTHON, PYTHON, STUDENTS } from "../../helpers/students.ts";

const ignore = !HAS_PYTHON; // reported as ignored: python3 is not installed

/** Runs the test client against one Python student server; the ids it names and the score. */
async function check(
  file: string,
  extra: Partial<TestClientOptions> = {},
): Promise<{ ids: string[]; total: number }> {
  await using server = await startServer(PYTHON, [file, "--port=0"], STUDENTS);
  const report = await runTestClient({
    hostname: "127.0.0.1",
    port: server.port,
    pauseMs: 30,
    barrierMs: 1000,
    log() {},
    ...extra,
  });
  return { ids: report.diagnoses.map((d) => d.id), total: report.score.total };
}

Deno.test({
  name: "the test client names the one mistake of each Python student server",
  ignore,
  async fn() {
    const cases: [string, Partial<TestClientOptions>, string][] = [
      ["server_fib_shifted.py", {}, "task2.fibonacci.shifted"],
      ["server_newline.py", { timeoutMs: 60_000 }, "task2.reply.trailing-whitespace"],
      ["server_closes.py", {}, "task2.server.closed-after-request"],
      ["server_sequential.py", {}, "task2.server.one-client-at-a-time"],
      // Unshuffled (FIBONACCI first): the limit is named for a server that answered before.
      [
        "server_int_digits.py",
        { clients: 1, minN: 2000, maxN: 2000, random: () => 0.99 },
        "task2.server.python-int-digits",
      ],
    ];
    for (const [file, extra, id] of cases) {
      const { ids, total } = await check(file, extra);
      assert.ok(ids.includes(id), `${file}: ${ids.join(", ")}`);
      assert.ok(total < 40, file);
    }
  },
});

Deno.test({
  name: "the test client gives a right Python server with dashed UUIDs 40 and names nothing",
  ignore,
  async fn() {
    assert.deepEqual(await check("server_right_dashed.py"), { ids: [], total: 40 });
  },
});
