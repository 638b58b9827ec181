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
      state.attempts.map((a: { id: string; verdict: string }) => [a.id, a.verdict]),
      [["*****234", "GOOD"]],
    );
    assert.equal(state.scores[0].id, "*****234");
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
