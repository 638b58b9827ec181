// Crash safety: a grading server killed with SIGKILL in the middle of
// submissions leaves a sound database holding every acknowledged score.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runDecryptClient } from "../../lib/task1/client/decrypt_client.ts";
import { runPeer } from "../helpers/task1_peer.ts";
import { programCommand, startServer, tempDir } from "../helpers/processes.ts";

const REGISTERED = /YOUR POINTS ARE REGISTERED ON DATABASE$/;

Deno.test({
  name: "server.ts --task=1 killed with SIGKILL mid-submissions keeps every acknowledged score",
  ignore: Deno.build.os === "windows", // no SIGKILL
  async fn() {
    await using dir = await tempDir();
    const db = `${dir.path}/scores.db`;
    const server = await startServer(
      ...programCommand("server.ts", "--task=1", "--port=0", `--db=${db}`, "--size=2000"),
    );
    const port = server.port;
    const acknowledged: { sid: number; score: number }[] = [];
    let killed = false;
    // Four clients at a time, each submitting again and again, full marks or
    // 35 points, until the server dies under them.
    const submitter = async (lane: number) => {
      for (let round = 0; !killed; round++) {
        const sid = 20200000 + lane * 100 + round;
        try {
          const { message, score } = lane % 2 === 0
            ? await runDecryptClient({ hostname: "127.0.0.1", port, studentId: sid })
            : await runPeer(port, { sid, corruptAt: 10 }).then((run) => ({
              message: run.message,
              score: run.result?.sid ?? 0,
            }));
          if (REGISTERED.test(message)) acknowledged.push({ sid, score });
        } catch {
          // Cut off by the kill: not acknowledged, so nothing is owed.
        }
        if (acknowledged.length >= 12 && !killed) {
          killed = true;
          server.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all([0, 1, 2, 3].map(submitter));
    const ended = await server.output;
    assert.equal(ended.code, 137);
    using sqlite = new DatabaseSync(db);
    const check = sqlite.prepare("PRAGMA integrity_check").all();
    assert.deepEqual(check.map((row) => row.integrity_check), ["ok"]);
    const best = sqlite.prepare("SELECT best FROM scores WHERE student_id = ? AND task = 1");
    const lost = acknowledged.filter(({ sid, score }) => {
      const row = best.get(sid) as { best: number } | undefined;
      return row === undefined || row.best < score;
    });
    assert.deepEqual(lost, []);
    assert.ok(acknowledged.some((a) => a.score === 35) && acknowledged.some((a) => a.score === 50));
  },
});
