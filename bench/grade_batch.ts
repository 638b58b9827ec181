/**
 * Times `gradeBatch` over a folder of N made-up submissions (the test
 * fixtures' right client and server, copied N times), at --jobs=1 (the
 * baseline) and --jobs=J. Usage: deno run -A bench/grade_batch.ts [--count=N] [--jobs=J]
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { gradeBatch } from "../lib/cli/grade/batch.ts";
import { parseScriptFlags } from "../lib/cli/mod.ts";
import { countFlag } from "./report.ts";

const FIXTURES = fileURLToPath(new URL("../tests/fixtures/grade", import.meta.url));
const { count, jobs, baseline: baselineCount } = parseScriptFlags({
  usage: "deno run -A bench/grade_batch.ts [flags]",
  summary: "Times batch grading over made-up submissions at --jobs=1 (the baseline) and at --jobs.",
  flags: {
    count: countFlag("Submissions graded in parallel", 100, 10_000),
    jobs: countFlag("Submissions at once", 8, 64),
    baseline: countFlag("Submissions graded at --jobs=1", 10, 10_000),
  },
  examples: ["deno run -A bench/grade_batch.ts --count=100 --jobs=8"],
}, Deno.args);

async function makeClass(n: number): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "grade-bench-" });
  for (let i = 0; i < n; i++) {
    const dir = `${root}/${20200000 + i}_student_assignsubmission_file_`;
    await Deno.mkdir(dir);
    await Deno.copyFile(`${FIXTURES}/good_client.py`, `${dir}/client.py`);
    await Deno.copyFile(`${FIXTURES}/good_server.py`, `${dir}/server.py`);
    await Deno.writeTextFile(`${dir}/report.pdf`, "%PDF-1.4\n<< /Type /Page >>\n");
  }
  return root;
}

async function time(n: number, j: number): Promise<number> {
  const root = await makeClass(n);
  try {
    const start = performance.now();
    const records = await gradeBatch(root, { jobs: j });
    const seconds = (performance.now() - start) / 1000;
    const full = records.filter((r) => r.total === 90).length;
    console.log(`${n} submissions, --jobs=${j}: ${seconds.toFixed(1)} s (${full}/${n} at 90/90)`);
    return seconds;
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

const base = await time(baselineCount, 1);
const fast = await time(count, jobs);
const [one, many] = [base / baselineCount, fast / count];
console.log(
  `per submission: ${one.toFixed(2)} s at --jobs=1, ` +
    `${many.toFixed(2)} s at --jobs=${jobs} (${(one / many).toFixed(1)}x)`,
);
