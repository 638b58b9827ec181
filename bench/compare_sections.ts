/**
 * bench/compare.ts sections a-e and g: latency and requests/s of
 * course-style requests, the handshake, one-write capacity, latency under
 * a FILE upload with big computations in flight, word-count throughput of
 * a FILE upload (vs wc -w and Python), RSS per idle connection, and Task 1
 * grading sessions on every core (vs one listener thread).
 *
 * @module
 */

import { setTimeout as sleep } from "node:timers/promises";
import {
  answer,
  type Client,
  closeClients,
  connect,
  fibonacci7,
  finish,
  handshake,
  type LoadResult,
  openClients,
  runLoad,
  uploadFile,
} from "./load.ts";
import { formatFigure, median } from "./report.ts";
import { runCommand, type ServerProcess, startServer } from "./processes.ts";
import { runPool } from "../lib/cli/mod.ts";
import { runDecryptClient } from "../lib/task1/client/decrypt_client.ts";
import { programCommand, ROOT, tempDir } from "../tests/helpers/processes.ts";
import {
  addLatencyRows,
  addRow,
  type Context,
  emptyLoad,
  fileBody,
  inRounds,
  progress,
  REQUEST_TIMEOUT_MS,
  servers,
  withClients,
} from "./compare_context.ts";

/**
 * `count` clients on every server in rounds, each request `FIBONACCI 7`:
 * course-style (the keyword, a `pauseMs` pause, `7`) or as one write.
 */
async function fibonacciRounds(context: Context, letter: string, count: number, pauseMs?: number) {
  const style = pauseMs === undefined ? "one-write" : "course-style";
  const label = `${style} FIBONACCI 7, ${count} clients`;
  const { measureMs } = context.config;
  const names = servers(context).map((server) => server.label).join(", ");
  progress(`${letter}: ${names} in turn, ${count} ${style} clients, ${measureMs} ms each`);
  const request = (client: Client) => fibonacci7(client, REQUEST_TIMEOUT_MS, pauseMs);
  const results = await inRounds(context, count, request);
  addLatencyRows(context, letter, label, results, "Python", "requests/s");
}

/** a. Course-style requests (FIBONACCI, 5 ms, 7, wait for 13_uuid), at each of `--clients`. */
export async function sectionA(context: Context): Promise<void> {
  for (const count of context.config.clients) await fibonacciRounds(context, "a", count, 5);
}

/** b. The handshake: name -> UUID, 16 at a time. */
export async function sectionB(context: Context): Promise<void> {
  const { config } = context;
  const results: LoadResult[] = [];
  for (const server of servers(context)) {
    progress(`b: ${server.label}, ${config.handshakes} handshakes, 16 at a time`);
    const latencies = await runPool(config.handshakes, 16, async (index) => {
      const client = await connect(server.port);
      try {
        const started = performance.now();
        await handshake(client, `Bench${index + 1}`, REQUEST_TIMEOUT_MS);
        return performance.now() - started;
      } finally {
        await finish(client);
      }
    });
    results.push({ latencies, perSecond: NaN, errors: 0 });
    await sleep(200);
  }
  addLatencyRows(context, "b", "name -> UUID handshake", results, "Python", false);
}

/** c. Capacity: `FIBONACCI 7` as one write, many clients. */
export function sectionC(context: Context): Promise<void> {
  return fibonacciRounds(context, "c", context.config.capacityClients);
}

/** d. Our server: course-style latency, idle vs while a 64 MiB FILE uploads. */
export async function sectionD(context: Context): Promise<void> {
  const { config } = context;
  const [ours] = servers(context);
  const body = fileBody(context);
  const count = 16;
  const { warmupMs, measureMs } = config;
  const load = (request: (client: Client) => Promise<number>) =>
    withClients(ours, count, "Client", (clients) => runLoad(clients, warmupMs, measureMs, request));
  progress(`d: ${ours.label}, ${count} course-style clients, no upload`);
  const quiet = await load((client) => fibonacci7(client, REQUEST_TIMEOUT_MS, 5));
  progress(
    `d: ${ours.label}, ${count} course-style clients, ${config.fileMiB} MiB uploads, ` +
      "FIBONACCI 1000000 and FACTORIAL 100000 in flight",
  );
  // One connection uploads, two more keep a large computation each in flight all along.
  const [uploader, ...heavy] = await openClients(ours.port, 3, "Busy", REQUEST_TIMEOUT_MS);
  let [uploading, stop] = [false, false];
  const uploads: number[] = [];
  const computed = [0, 0];
  const heavyLoops = heavy.map(async (client, i) => {
    const [request, digits] = i === 0
      ? ["FIBONACCI 1000000", 208_988]
      : ["FACTORIAL 100000", 456_574];
    for (; !stop; computed[i]!++) {
      await client.send(request);
      const reply = await answer(client, 60_000);
      if (reply.length !== digits) throw new Error(`${request}: ${reply.length} digits`);
    }
  });
  const uploadLoop = (async () => {
    while (!stop) {
      const onBody = (now: boolean) => uploading = now;
      uploads.push((await uploadFile(uploader!, body, config.gapMs, 60_000, onBody)).ms);
    }
  })();
  try {
    const busy = await load(async (client) => {
      const during = uploading;
      const latency = await fibonacci7(client, REQUEST_TIMEOUT_MS, 5);
      return during ? latency : NaN;
    }).finally(() => stop = true);
    await uploadLoop;
    await Promise.all(heavyLoops);
    const label = `course-style, ${count} clients, during uploads + big n`;
    addLatencyRows(context, "d", label, [busy, quiet], "ours idle", false);
    const mibPerS = formatFigure(config.fileMiB / (median(uploads) / 1000));
    const rate = uploads.length === 0 ? "none" : `${uploads.length}, median ${mibPerS} MiB/s`;
    const big = `${computed[0]} FIBONACCI 1000000 and ${computed[1]} FACTORIAL 100000 answered`;
    const during = `${busy.latencies.length} requests measured during uploads`;
    context.notes.push(`d: uploads finished meanwhile: ${rate}; ${during}; ${big} meanwhile`);
  } finally {
    stop = true;
    await Promise.allSettled([uploadLoop, ...heavyLoops]);
    await closeClients([uploader!, ...heavy]);
  }
}

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
    const label = `word count, ${config.fileMiB} MiB (${wcWords} words)`;
    const [metric, figure] = [["e", label, "MiB/s"] as [string, string, string], mibPerS(oursMs)];
    const [wcFigure, pyFigure] = [mibPerS(median(wcTimes)), mibPerS(pythonMs)];
    addRow(context, metric, "higher", "LC_ALL=C wc -w", [figure, wcFigure], { noise });
    addRow(context, metric, "higher", "Python", [figure, pyFigure], { noise: spread(oursTimes) });
    const runs = (times: number[]) => times.map(formatFigure).join(", ");
    const how = "e: ours and Python are timed from the first body byte written to the reply, " +
      "over loopback; wc -w is the wall time of the whole process reading the file (page cache)";
    context.notes.push(how, `e: runs in turn, ms: ours ${runs(oursTimes)}; wc -w ${runs(wcTimes)}`);
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
  for (
    const [metric, unit, [ours, python, native]] of [
      ["server RSS before", "MiB", atStart],
      [`RSS per idle connection (${config.idle} open)`, "KiB", perConnection],
    ] as const
  ) {
    const floor = native === undefined ? {} : { floor: native };
    addRow(context, ["g", metric, unit], "lower", "Python", [ours ?? null, python ?? null], floor);
  }
}

/**
 * h. Task 1 grading sessions, 256 at once (our decryption client, `test`,
 * per packet): `server.ts --task=1 --workers=2` against `--workers=1`, each
 * its own process, in rounds whose order alternates, after a warm-up of a
 * quarter of the sessions on each.
 */
export async function sectionH(context: Context): Promise<void> {
  const { config } = context;
  const [concurrency, rounds] = [256, config.quick ? 2 : 4];
  const perRound = Math.max(1, Math.round(config.task1Sessions / rounds));
  await using dir = await tempDir();
  const start = (workers: number) => {
    const args = [
      "--task=1",
      "--port=0",
      `--db=${dir.path}/w${workers}.db`,
      `--workers=${workers}`,
    ];
    return startServer(`--workers=${workers}`, ...programCommand("server.ts", ...args), ROOT);
  };
  const graders = [await start(2), await start(1)];
  try {
    const results = graders.map((): LoadResult => ({
      ...emptyLoad(),
      roundRates: [],
      roundSizes: [],
    }));
    const cpuMs = graders.map(() => 0);
    const sessions = (server: ServerProcess, count: number, into: LoadResult) =>
      runPool(count, concurrency, async () => {
        const started = performance.now();
        try {
          const result = await runDecryptClient({
            ...{ hostname: "127.0.0.1", port: server.port, studentId: 20200000, keyword: "test" },
            timeoutMs: 30_000,
          });
          if (result.score !== 50) {
            throw new Error(`${result.keyword} ${result.score}: ${result.message}`);
          }
          into.latencies.push(performance.now() - started);
        } catch (error) {
          into.errors++;
          into.firstError ??= error instanceof Error ? error.message : String(error);
        }
      });
    for (const server of graders) {
      progress(`h: ${server.label}, warm-up of ${Math.round(perRound / 4)} sessions`);
      await sessions(server, Math.round(perRound / 4), emptyLoad());
    }
    for (let round = 0; round < rounds; round++) {
      for (const i of round % 2 === 0 ? [0, 1] : [1, 0]) {
        const [server, total] = [graders[i]!, results[i]!];
        const step = `round ${round + 1} of ${rounds}, ${perRound} sessions`;
        progress(`h: ${server.label}, ${step}, ${concurrency} at once`);
        const round_ = emptyLoad();
        const [cpu, started] = [await server.cpuMs(), performance.now()];
        await sessions(server, perRound, round_);
        const rate = round_.latencies.length / ((performance.now() - started) / 1000);
        cpuMs[i]! += (await server.cpuMs()) - cpu;
        total.latencies.push(...round_.latencies);
        total.perSecond += rate / rounds;
        total.roundRates!.push(rate);
        total.roundSizes!.push(round_.latencies.length);
        total.errors += round_.errors;
        if (round_.firstError !== undefined) total.firstError ??= round_.firstError;
      }
    }
    const label = `Task 1 sessions, ${concurrency} at once`;
    addLatencyRows(context, "h", label, results, "--workers=1", "sessions/s");
    const perSession = cpuMs.map((ms) => formatFigure((ms * 1000) / (perRound * rounds)));
    context.notes.push(
      `h: server CPU per session: ${perSession[0]} us with --workers=2, ${perSession[1]} us with ` +
        `--workers=1 (utime + stime from /proc; the clients run in this process, on the same cores)`,
    );
  } finally {
    await Promise.all(graders.map((server) => server.stop()));
  }
}
