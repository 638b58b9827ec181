import assert from "node:assert/strict";
import { runDecryptClient } from "../../lib/task1/client/decrypt_client.ts";
import { freePort, programCommand, startServer, tempDir } from "../helpers/processes.ts";

Deno.test("server.ts --task=1 --http --mask-ids serves the staff page of its own attempts", async () => {
  await using dir = await tempDir();
  const http = freePort();
  const server = await startServer(
    ...programCommand(
      "server.ts",
      "--task=1",
      "--port=0",
      `--db=${dir.path}/scores.db`,
      `--http=${http}`,
      "--mask-ids",
    ),
  );
  try {
    const result = await runDecryptClient({
      hostname: "127.0.0.1",
      port: server.port,
      studentId: 20201234,
    });
    assert.equal(result.score, 50);
    const state = await (await fetch(`http://127.0.0.1:${http}/api/state`)).json();
    assert.deepEqual(
      state.attempts.map((a: { studentId: string; verdict: string }) => [a.studentId, a.verdict]),
      [["*****234", "GOOD"]],
    );
    assert.equal(state.scores[0].studentId, "*****234");
    const post = await fetch(`http://127.0.0.1:${http}/`, { method: "POST" });
    await post.body?.cancel();
    assert.equal(post.status, 405);
  } finally {
    server.child.kill("SIGTERM");
  }
  const ended = await server.output;
  assert.match(
    ended.stdout,
    new RegExp(`^Staff page at http://127\\.0\\.0\\.1:${http}/ \\(read-only\\)$`, "m"),
  );
  if (Deno.build.os !== "windows") assert.equal(ended.code, 0, ended.stdout + ended.stderr);
});

Deno.test("server.ts --task=1 keeps its attempt history in --db: the staff page shows it after a restart", async () => {
  await using dir = await tempDir();
  const args = (http: number) =>
    programCommand(
      "server.ts",
      "--task=1",
      "--port=0",
      `--db=${dir.path}/scores.db`,
      `--http=${http}`,
    );
  {
    await using first = await startServer(...args(0));
    await runDecryptClient({ hostname: "127.0.0.1", port: first.port, studentId: 20201234 });
  }
  const http = freePort();
  await using second = await startServer(...args(http));
  const state = await (await fetch(`http://127.0.0.1:${http}/api/state`)).json();
  assert.deepEqual(
    state.attempts.map((a: { studentId: string; score: number }) => [a.studentId, a.score]),
    [["20201234", 50]],
  );
  const view = await (await fetch(`http://127.0.0.1:${http}/api/student?key=20201234`)).json();
  assert.equal(view.attempts.length, 1);
  assert.ok(second.port > 0);
});
