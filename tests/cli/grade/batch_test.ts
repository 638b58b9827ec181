import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { batchCsv, gradeBatch } from "../../../lib/cli/grade/batch.ts";
import { findSubmissions, pdfPages } from "../../../lib/cli/grade/submission.ts";

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

    const records = await gradeBatch(root, { jobs: 3, timeMs: 30_000 });
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
