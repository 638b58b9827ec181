import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { batchCsv, gradeBatch } from "../../../lib/cli/grade/batch.ts";
import { findSubmissions, pdfPages, prepareSubmission } from "../../../lib/cli/grade/submission.ts";
import { PYTHON } from "../../helpers/students.ts";

const FIXTURES = fileURLToPath(new URL("../../fixtures/grade", import.meta.url));
const REPORT = "%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n2 0 obj << /Type /Pages >> endobj\n";

async function submission(dir: string, files: Record<string, string>): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${dir}/${name}`, text);
  }
}

Deno.test("gradeBatch() writes one right record per student of a made-up class", async () => {
  const root = await Deno.makeTempDir();
  try {
    const client = await Deno.readTextFile(`${FIXTURES}/good_client.py`);
    const server = await Deno.readTextFile(`${FIXTURES}/good_server.py`);
    const good = { "client.py": client, "server.py": server, "report.pdf": REPORT };
    await submission(`${root}/20200001_Kim_assignsubmission_file_`, good);
    await submission(`${root}/20200002`, { ...good, "client.py": "raise SystemExit(1/0)\n" });
    await submission(`${root}/20200003`, {
      ...good,
      "server.py": "import time\ntime.sleep(999)\n",
    });
    await submission(`${root}/20200004`, { ...good, "client.py": `import requests\n${client}` });
    await submission(`${root}/20200005`, { "client.py": client, "report.pdf": REPORT });
    await Deno.writeTextFile(`${root}/notes.txt`, "not a submission");
    assert.deepEqual(findSubmissions(root).skipped, ["notes.txt"]);

    // 20200003's server never listens: 3 s to say so, not the default 10 s.
    const steps: string[] = [];
    const records = await gradeBatch(root, {
      jobs: 3,
      timeMs: 30_000,
      listenMs: 3_000,
      progress: (done, total, current) => steps.push(`${done}/${total} ${current}`),
    });
    // A step as each submission starts and ends, counting up to the whole class.
    const counts = steps.map((step) => Number(step.split("/")[0]));
    assert.equal(steps.length, 10);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b));
    assert.equal(steps.at(-1)?.split(" ")[0], "5/5");
    assert.equal(new Set(steps.map((step) => step.split(" ")[1])).size, 5);
    const by = new Map(records.map((r) => [r.studentId, r]));
    assert.equal(records.length, 5);
    assert.deepEqual([by.get(20200001)!.total, by.get(20200001)!.problems], [90, []]);
    const broken = by.get(20200002)!;
    assert.deepEqual([broken.task1, broken.task2], [0, 40]);
    assert.ok(broken.problems.some((p) => /traceback: ZeroDivisionError/.test(p)));
    const hangs = by.get(20200003)!;
    assert.deepEqual([hangs.task1, hangs.task2], [50, 0]);
    assert.ok(hangs.problems.some((p) => /never listened/.test(p)));
    const external = by.get(20200004)!;
    assert.ok(
      external.problems.includes("client.py: imports outside the standard library: requests"),
    );
    const missing = by.get(20200005)!;
    assert.deepEqual([missing.task1, missing.task2, missing.total], [50, 0, 50]);
    assert.ok(missing.problems.includes("missing server.py"));
    assert.match(batchCsv(records), /^studentId,task1,task2,total,flags,problems,diagnosis\n/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("pdfPages() counts /Type /Page objects, not /Pages", () => {
  assert.equal(pdfPages(new TextEncoder().encode(REPORT)), 1);
});

Deno.test("prepareSubmission() unpacks a zip and refuses one whose entry escapes the folder", async () => {
  const root = await Deno.makeTempDir();
  try {
    const make = `import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("sub/client.py", "print(1)\\n")
    z.writestr("sub/server.py", "print(2)\\n")
    z.writestr("sub/report.pdf", "%PDF << /Type /Page >> << /Type /Page >> << /Type /Page >> << /Type /Page >>")
with zipfile.ZipFile(sys.argv[2], "w") as z:
    z.writestr("../evil.py", "x")
`;
    const good = `${root}/20200000_Hong_assignsubmission_file_.zip`;
    const evil = `${root}/20200001.zip`;
    const made = await new Deno.Command(PYTHON, { args: ["-c", make, good, evil] }).output();
    assert.equal(made.code, 0, new TextDecoder().decode(made.stderr));
    const { found } = findSubmissions(root);
    assert.deepEqual(found.map((s) => [s.studentId, s.zip]), [[20200000, true], [20200001, true]]);
    for (const [index, submission] of found.entries()) {
      const scratch = await Deno.makeTempDir({ dir: root });
      const checks = await prepareSubmission(submission, scratch);
      if (index === 0) {
        assert.deepEqual(checks.problems, ["report.pdf has 4 pages (at most 3)"]);
        assert.equal(checks.clientDir, `${scratch}/sub`);
      } else {
        assert.match(checks.problems[0]!, /unzip failed: zip entry escapes the folder/);
        assert.equal(checks.clientDir, undefined);
      }
    }
    await assert.rejects(Deno.stat(`${root}/evil.py`), Deno.errors.NotFound);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("gradeBatch() flags code below the registered score, no registered score, no submission", async () => {
  const root = await Deno.makeTempDir();
  try {
    const client = await Deno.readTextFile(`${FIXTURES}/good_client.py`);
    await submission(`${root}/20200001`, { "client.py": client, "report.pdf": REPORT });
    const at = "2026-12-05T00:00:00.000Z";
    const row = (studentId: number, task: 1 | 2, best: number) => ({
      studentId,
      task,
      best,
      last: best,
      attempts: 1,
      bestAt: at,
      lastAt: at,
    });
    const records = await gradeBatch(root, {
      registered: [row(20200001, 2, 40), row(20200009, 1, 50)],
    });
    assert.deepEqual(records.map((r) => [r.studentId, r.registered, r.flags]), [
      [20200001, { task1: null, task2: 40 }, [
        "task1: no registered score",
        "task2: code earns 0, below the registered 40",
      ]],
      [20200009, { task1: 50, task2: null }, ["no submission"]],
    ]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
