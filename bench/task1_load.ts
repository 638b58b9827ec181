/**
 * Task 1 load: N concurrent decryption clients against a grading server on
 * loopback, for a fixed number of sessions. Reports sessions/s and
 * the p50/p99 session latency (connect to result packet).
 *
 *     deno run -A bench/task1_load.ts [--concurrency=256] [--sessions=2048]
 *       [--style=per-packet|rechunk] [--server=process|in-process] [--warmup=512]
 *       [--workers=1,2]
 *
 * By default the server is `server.ts --task=1` in its own process (as it
 * runs for real), and the clients share this one; `--server=in-process` puts
 * both in one process. A warm-up run comes first and is not measured.
 *
 * @module
 */

import { flag, parseScriptFlags } from "../lib/cli/mod.ts";
import { runDecryptClient } from "../lib/task1/client/decrypt_client.ts";
import { serveGrading } from "../lib/task1/grading/grading_server.ts";
import { cpuUsage } from "node:process";
import { programCommand, ROOT, tempDir } from "../tests/helpers/processes.ts";
import { pool } from "./load.ts";
import { startServer } from "./processes.ts";
import { countFlag, percentile } from "./report.ts";

const values = parseScriptFlags({
  usage: "deno run -A bench/task1_load.ts [flags]",
  summary: "Runs concurrent Task 1 grading sessions (our decryption client against our grading " +
    "server on loopback) and reports sessions/s, latency percentiles and CPU per session.",
  flags: {
    concurrency: countFlag("Sessions at once", 256, 10_000),
    sessions: countFlag("Sessions measured", 2048),
    style: flag.choice(["per-packet", "rechunk"] as const, {
      description: "How the client writes its replies",
      default: "per-packet",
    }),
    size: countFlag("Plaintext bytes per session", 25_000, 100_000_000),
    warmup: countFlag("Sessions run before measuring, not counted", 512, 1_000_000, 0),
    workers: flag.integers({
      description: "Server listener threads (--workers), one row per entry in this one run " +
        "(e.g. 1,2: the single-thread figure beside every core)",
      min: 1,
      max: 256,
      default: [1, 2],
    }),
    server: flag.choice(["process", "in-process"] as const, {
      description: "Grading server as its own process or in this one",
      default: "process",
    }),
  },
  examples: ["deno run -A bench/task1_load.ts --concurrency=256 --sessions=2048"],
}, Deno.args);
const concurrency = values.concurrency;
const sessions = values.sessions;
const style = values.style;
const threadCounts = values.workers;

/** One row: `workers` server threads under the load; returns its sessions/s. */
async function measure(workers: number): Promise<number> {
  let failures = 0;
  await using dir = await tempDir();
  const args = [`--db=${dir.path}/scores.db`, `--size=${values.size}`, `--workers=${workers}`];
  await using server = values.server === "in-process"
    ? serveGrading({
      hostname: "127.0.0.1",
      plaintextSize: values.size,
      workers,
      log: (line) => {
        if (!/ GOOD/.test(line) && ++failures <= 3) console.error(line);
      },
    })
    : await startServer(
      "Task 1",
      ...programCommand("server.ts", "--task=1", "--port=0", ...args),
      ROOT,
    );
  const { port } = server;
  /** CPU time the server process has used so far, in ms (Linux), or NaN. */
  const serverCpuMs = () => {
    if (!("pid" in server)) return NaN;
    const stat = Deno.readTextFileSync(`/proc/${server.pid}/stat`).split(") ")[1]!.split(" ");
    return (Number(stat[11]) + Number(stat[12])) * 10; // utime + stime, 100 ticks/s
  };

  const latencies: number[] = [];
  async function session(): Promise<void> {
    const t0 = performance.now();
    const result = await runDecryptClient({
      hostname: "127.0.0.1",
      port,
      studentId: 20200000,
      keyword: "test",
      style,
      timeoutMs: 30_000,
    });
    latencies.push(performance.now() - t0);
    if (result.score !== 50) failures++;
  }

  // Warm up (JIT, socket buffers, the listener threads) first; only the run after it is measured.
  await pool(values.warmup, concurrency, session);
  latencies.length = 0;
  const t0 = performance.now();
  const cpu0 = { server: serverCpuMs(), client: cpuUsage() };
  await pool(sessions, concurrency, session);
  const seconds = (performance.now() - t0) / 1000;
  const client = cpuUsage();
  const clientUs = (client.user + client.system - cpu0.client.user - cpu0.client.system) /
    sessions;
  const serverUs = (serverCpuMs() - cpu0.server) * 1000 / sessions;
  const pct = (p: number) => percentile(latencies, p);
  const rate = sessions / seconds;
  console.log(
    `task1 load: ${sessions} sessions, concurrency ${concurrency}, ${style}, ` +
      `server ${values.server}, --workers=${workers}: ` +
      `${rate.toFixed(0)} sessions/s, p50 ${pct(50).toFixed(1)} ms, ` +
      `p90 ${pct(90).toFixed(1)} ms, ` +
      `p99 ${pct(99).toFixed(1)} ms, max ${pct(100).toFixed(1)} ms, failures ${failures}; ` +
      `CPU per session: server ${serverUs.toFixed(0)} us, clients ${clientUs.toFixed(0)} us`,
  );
  return rate;
}

const rates: number[] = [];
for (const workers of threadCounts) rates.push(await measure(workers));
if (rates.length > 1) {
  console.log(
    `task1 load: sessions/s against --workers=${threadCounts[0]} in this run: ` +
      threadCounts.slice(1).map((n, i) =>
        `--workers=${n} ${(rates[i + 1]! / rates[0]!).toFixed(2)}x`
      )
        .join(", "),
  );
}
