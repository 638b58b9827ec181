/**
 * `server grade` (`deno task grade`): checks a student's own `client.py`
 * and `server.py` in one command and prints one report card.
 *
 * @module
 */

import { PCAP_FLAG, withPcap } from "../pcap_flag.ts";
import { now } from "../../net/deadline.ts";
import { type Command, flag, type FlagSpecs } from "../flags.ts";
import { runCommand } from "../main.ts";
import { createProgress, onInterrupt } from "../progress.ts";
import { UsageError } from "../usage_error.ts";
import { ScoreStore } from "../../scores/mod.ts";
import { batchCsv, gradeBatch } from "./batch.ts";
import { checkClient, checkServer, formatCard, reportCard } from "./check.ts";

const FLAGS = {
  client: flag.string({
    value: "CMD",
    description: "Your Task 1 client; run with --host=127.0.0.1 --port=P --studentID=ID appended",
  }),
  server: flag.string({
    value: "CMD",
    description: "Your Task 2 server; run with --port=P appended",
  }),
  studentID: flag.studentId({
    description: "The 8-digit student id the client is run with",
    default: 20200000,
  }),
  time: flag.integer({
    value: "S",
    description: "Longest run of each program, in seconds",
    min: 1,
    max: 3600,
    default: 120,
  }),
  json: flag.switch({ description: "Print JSON (a report card, or a list of records)" }),
  pcap: PCAP_FLAG,
  submissions: flag.string({
    value: "DIR",
    description: "Batch: grade every submission (zip or folder named by an 8-digit id) in DIR",
  }),
  db: flag.string({
    value: "FILE",
    description: "Batch: compare with the best scores in FILE and store the results there",
  }),
  csv: flag.switch({ description: "Batch: print CSV" }),
  jobs: flag.integer({
    description: "Batch: submissions graded at once",
    min: 1,
    max: 64,
    default: 2,
  }),
};

const COMMAND: Command<typeof FLAGS> = {
  usage: 'server grade --client="CMD" --server="CMD" [--studentID=ID] [--json]',
  summary: [
    "Checks your own Task 1 client and Task 2 server the way they are graded: the client",
    "against a private grading server (nothing is stored anywhere), the server under the",
    "course's test client. Prints the score item by item, what went wrong and why, and",
    "whether the client printed KEY:, Score: and Message: as the server sent them.",
    "Exit code 0 only at full marks. The programs run in the current directory, bounded",
    "in time, memory, processes, file size and output; they are NOT cut off from the",
    "network or the file system.",
  ].join("\n"),
  flags: FLAGS,
  examples: [
    'deno task grade --client="python3 client.py" --server="python3 server.py" --studentID=20200000',
    'server grade --server="python3 server.py" --json',
    "server grade --submissions=zips/ --db=scores.db --csv --jobs=4 > grades.csv",
  ],
};

/** The grade command's command line. */
export const GRADE_COMMAND: Command<FlagSpecs> = COMMAND;

/**
 * Runs `server grade` with `args` and returns its exit code.
 *
 * @example
 * ```ts
 * import { gradeMain } from "@cs341/practice2/cli";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await gradeMain(["--version"]), 0);
 * ```
 */
export function gradeMain(args: readonly string[]): Promise<number> {
  return runCommand(COMMAND, args, async (flags) => {
    if (flags.submissions !== undefined) {
      if (flags.pcap !== undefined) throw new UsageError("--pcap checks one student, not a batch");
      return await batchMain(flags);
    }
    if (flags.client === undefined && flags.server === undefined) {
      throw new UsageError("give --client=CMD, --server=CMD or both, or --submissions=DIR");
    }
    const [task1, task2] = await withPcap(flags.pcap, (capture) => {
      const options = { cwd: Deno.cwd(), limits: { timeMs: flags.time * 1000 }, capture };
      return Promise.all([
        flags.client === undefined
          ? undefined
          : checkClient(flags.client, flags.studentID, options),
        flags.server === undefined ? undefined : checkServer(flags.server, options),
      ]);
    });
    const card = reportCard(task1, task2);
    if (flags.json) console.log(JSON.stringify(card, null, 2));
    else for (const line of formatCard(card)) console.log(line);
    return card.total === card.max ? 0 : 1;
  });
}

async function batchMain(
  flags: {
    submissions?: string | undefined;
    db?: string | undefined;
    json: boolean;
    csv: boolean;
    jobs: number;
    time: number;
  },
): Promise<number> {
  const store = flags.db === undefined ? undefined : await ScoreStore.open(flags.db);
  const progress = createProgress();
  let graded = "none graded yet";
  using _interrupt = onInterrupt(() => `Interrupted: ${graded}; nothing was stored`);
  try {
    const started = now();
    const records = await gradeBatch(flags.submissions!, {
      jobs: flags.jobs,
      timeMs: flags.time * 1000,
      ...(store ? { registered: await store.rows() } : {}),
      progress: (done, total, current) => {
        const each = done === 0 ? 0 : (now() - started) / done;
        const left = Math.round((each * (total - done)) / 1000);
        graded = `${done} of ${total} submissions graded`;
        progress.step(`[${done}/${total}] ${current} (about ${left} s left)`);
      },
    });
    progress.done();
    if (store) await store.recordBatch(records.filter((r) => !r.flags.includes("no submission")));
    if (flags.json) console.log(JSON.stringify(records, null, 2));
    else if (flags.csv) console.log(batchCsv(records).trimEnd());
    else {
      for (const r of records) {
        const flagged = [...r.flags, ...r.problems];
        console.log(`${r.studentId} ${r.task1}/50 ${r.task2}/40 = ${r.total}/90`);
        for (const line of flagged) console.log(`  ${line}`);
        if (r.diagnosis) console.log(`  diagnosis: ${r.diagnosis}`);
      }
    }
    return records.every((r) => r.total === 90 && r.flags.length === 0) ? 0 : 1;
  } finally {
    await store?.close();
  }
}

if (import.meta.main) {
  const { runMain } = await import("../main.ts");
  await runMain(() => gradeMain(Deno.args));
}
