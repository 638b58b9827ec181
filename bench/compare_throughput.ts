/**
 * bench/compare.ts sections e and g: word-count throughput of a FILE upload
 * (vs wc -w and Python) and RSS per idle connection.
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import { type Client, connect, finish, handshake, uploadFile } from "./load.ts";
import { runCommand } from "./processes.ts";
import { median } from "./report.ts";
import {
  type Context,
  fileBody,
  progress,
  REQUEST_TIMEOUT_MS,
  servers,
  withClients,
} from "./compare_context.ts";

/** e. Word count of the same bytes: our server over loopback, wc -w, Python. */
export async function sectionE(context: Context): Promise<void> {
  const { config } = context;
  const [ours, python] = servers(context);
  const body = fileBody(context);
  const path = await Deno.makeTempFile({ prefix: "cs341_bench_", suffix: ".txt" });
  try {
    await Deno.writeFile(path, body);
    const wcTimes: number[] = [];
    let wcWords = NaN;
    const wc = async () => {
      const result = await runCommand("wc", ["-w", path], {
        env: { LC_ALL: "C" },
        limitMs: 60_000,
      });
      if (result.code !== 0) throw new Error(`wc -w failed: ${result.stderr.trim()}`);
      wcWords = Number(result.stdout.trim().split(/\s+/)[0]);
      wcTimes.push(result.wallMs);
    };
    const upload = async (client: Client, label: string) => {
      const { words, ms } = await uploadFile(client, body, config.gapMs, 120_000);
      if (words !== wcWords) {
        context.notes.push(`e: ${label} counted ${words} words, wc -w ${wcWords}`);
      }
      return ms;
    };
    // wc -w and our server take turns, so a busy spell on the machine hits both.
    progress(`e: ours and LC_ALL=C wc -w in turn, ${config.fileMiB} MiB, ${config.repeats} runs`);
    const oursTimes: number[] = [];
    const oursClient = await connect(ours.port);
    try {
      await handshake(oursClient, "Uploader", REQUEST_TIMEOUT_MS);
      for (let run = 0; run < config.repeats; run++) {
        await wc();
        oursTimes.push(await upload(oursClient, "ours"));
      }
    } finally {
      await finish(oursClient);
    }
    progress(`e: Python, FILE of ${config.fileMiB} MiB, 1 run`);
    const pythonClient = await connect(python.port);
    let pythonMs: number;
    try {
      await handshake(pythonClient, "Uploader", REQUEST_TIMEOUT_MS);
      pythonMs = await upload(pythonClient, "Python");
    } finally {
      await finish(pythonClient);
    }
    const oursMs = median(oursTimes);
    context.body = undefined; // not needed after e; let it be collected before f
    const mibPerS = (ms: number) => config.fileMiB / (ms / 1000);
    // The run's own noise: how far each side's runs spread around their median.
    const spread = (times: number[]) => (Math.max(...times) - Math.min(...times)) / median(times);
    const noise = Math.max(spread(oursTimes), spread(wcTimes));
    const metric = `word count, ${config.fileMiB} MiB (${wcWords} words)`;
    context.rows.push(
      {
        section: "e",
        metric: `${metric}: MiB/s`,
        unit: "MiB/s",
        better: "higher",
        baselineName: "LC_ALL=C wc -w",
        ours: mibPerS(oursMs),
        baseline: mibPerS(median(wcTimes)),
        noise,
      },
      {
        section: "e",
        metric: `${metric}: MiB/s`,
        unit: "MiB/s",
        better: "higher",
        baselineName: "Python",
        ours: mibPerS(oursMs),
        baseline: mibPerS(pythonMs),
        noise: spread(oursTimes),
      },
    );
    context.notes.push(
      "e: ours and Python are timed from the first body byte written to the reply, over " +
        "loopback; wc -w is the wall time of the whole process reading the file (page cache)",
    );
  } finally {
    await Deno.remove(path).catch(() => {});
  }
}

/** g. RSS per idle connection after the handshake. */
export async function sectionG(context: Context): Promise<void> {
  const { config } = context;
  const perConnection: number[] = [];
  const atStart: number[] = [];
  for (const server of servers(context)) {
    progress(`g: ${server.label}, ${config.idle} idle connections`);
    await withClients(server, 50, "Warm", async () => {});
    await sleep(500);
    const before = await server.rssKiB();
    const after = await withClients(server, config.idle, "Idle", async () => {
      await sleep(1000);
      return await server.rssKiB();
    });
    atStart.push(before / 1024);
    perConnection.push((after - before) / config.idle);
  }
  context.rows.push(
    {
      section: "g",
      metric: "server RSS before: MiB",
      unit: "MiB",
      better: "lower",
      baselineName: "Python",
      ours: atStart[0] ?? null,
      baseline: atStart[1] ?? null,
      ...(atStart.length > 2 ? { floor: atStart[2] ?? null } : {}),
    },
    {
      section: "g",
      metric: `RSS per idle connection (${config.idle} open): KiB`,
      unit: "KiB",
      better: "lower",
      baselineName: "Python",
      ours: perConnection[0] ?? null,
      baseline: perConnection[1] ?? null,
      ...(perConnection.length > 2 ? { floor: perConnection[2] ?? null } : {}),
    },
  );
}
