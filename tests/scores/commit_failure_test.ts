// A COMMIT that fails after its statement ran: a process whose files may not
// grow past 64 KiB (ulimit -f; SIGXFSZ ignored, so writes fail with EFBIG)
// fills its WAL file. The old store, stepping `INSERT ... RETURNING` once
// with .get(), acknowledged 50 of 50 such writes of which 8 were kept; every
// acknowledgement of ScoreStore.record() must be in the file.
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { runToEnd, tempDir } from "../helpers/processes.ts";

const hasBash = (() => {
  try {
    return Deno.build.os !== "windows" && Deno.statSync("/bin/bash").isFile;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "ScoreStore.record() acknowledges only what committed when the WAL cannot grow",
  ignore: !hasBash, // needs bash's ulimit and trap
  async fn() {
    await using dir = await tempDir();
    const db = `${dir.path}/scores.db`;
    const script = `${dir.path}/writer.ts`;
    await Deno.writeTextFile(
      script,
      `import { ScoreStore } from ${
        JSON.stringify(new URL("../../lib/scores/score_store.ts", import.meta.url))
      };
       await using store = await ScoreStore.open(${JSON.stringify(db)});
       for (let sid = 20200000; sid < 20200200; sid++) {
         try {
           await store.record(sid, 1, 50);
           console.log("ack", sid);
         } catch (error) {
           console.log("fail", sid, String(error));
           break;
         }
       }`,
    );
    const run = await runToEnd("/bin/bash", [
      "-c",
      `trap '' XFSZ; ulimit -f 128; exec "$0" run --allow-read --allow-write "$1"`,
      Deno.execPath(),
      script,
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    const acked = [...run.stdout.matchAll(/^ack (\d+)$/gm)].map((m) => Number(m[1]));
    const failed = /^fail (\d+) (.*)$/m.exec(run.stdout);
    assert.ok(failed, `no write failed:\n${run.stdout}`);
    assert.match(failed[2]!, /ScoreStoreError: .*(disk I\/O error|database or disk is full)/);
    assert.ok(acked.length > 0);
    using sqlite = new DatabaseSync(db, { readOnly: true });
    const stored = sqlite.prepare("SELECT student_id AS id FROM scores ORDER BY id").all()
      .map((row) => row.id);
    assert.deepEqual(stored, acked);
  },
});
