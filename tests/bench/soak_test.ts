import assert from "node:assert/strict";
import fc from "../helpers/fast_check.ts";
import { ScoreStore } from "@cs341/practice2/scores";
import { encodePacket } from "@cs341/practice2/task1";
import { serveGrading } from "@cs341/practice2/task1";
import { countWords, factorial, fibonacci, serveCompute } from "@cs341/practice2/task2";
import {
  describeTask1Bytes,
  describeTask2Text,
  MALFORMED_KINDS,
} from "../../bench/soak_malformed.ts";
import { formatSoakReport, openFilesLimit, soakReportJson } from "../../bench/soak.ts";
import { statusKiB } from "../../bench/processes.ts";
import { formatCounts, planTask2, runSoak, type SoakCounts } from "../../bench/soak_run.ts";
import { Tally } from "../../bench/soak_clients.ts";
import { factorialInOrder, fibonacciByAdding, seededRandom } from "../../bench/fixtures.ts";

Deno.test("runSoak() finds no error among well-formed clients, and both servers serve a fresh client afterwards", async () => {
  await using store = await ScoreStore.open(":memory:");
  await using compute = serveCompute({ hostname: "127.0.0.1", log() {} });
  await using grading = serveGrading({ hostname: "127.0.0.1", store, log() {} });
  const counts: SoakCounts[] = [];
  const result = await runSoak({
    task2Port: compute.port,
    task1Port: grading.port,
    task2Clients: 50,
    task1Sessions: 20,
    malformed: 2 * MALFORMED_KINDS.length,
    // A refused Task 1 client is answered after a 250 ms pause; 1.5 s leaves room for a
    // loaded machine (600 ms was missed now and then while the whole suite ran).
    holdMs: 1500,
    trickleMs: 100,
    pauseMs: 5,
    bodyPauseMs: 80,
    timeoutMs: 10_000,
    limitMs: 30_000,
    submitEvery: 4,
    maxFileBytes: 4096,
    seed: 7,
    isStored: async (sid) => await store.best(sid, 1) === 50,
    onCounts: (now) => counts.push(now),
    countsMs: 100,
  });
  assert.deepEqual(result.errors.entries(), []);
  assert.equal(result.capped, false);
  // Counts came while the clients ran (the malformed ones hold 1.5 s), and only grew.
  assert.ok(counts.length > 0, "no counts while the clients ran");
  const oks = counts.map((c) => c.task2.ok + c.task1.ok + c.malformed.ended);
  assert.deepEqual(oks, [...oks].sort((a, b) => a - b));
  assert.match(
    formatCounts(counts.at(-1)!),
    /^\d+\.\d s {2}Task 2 \d+\/50 ok {2}Task 1 \d+\/20 ok {2}malformed \d+\/\d+ ended {2}0 errors$/,
  );
  assert.deepEqual([result.task2.ok, result.task1.ok], [50, 20]);
  assert.equal(result.task2.peakOpen, 50, "every Task 2 client was connected at once");
  assert.equal(result.freshTask2.ok, 1, "a fresh Task 2 client succeeded after the soak");
  assert.equal(result.freshTask1.ok, 1, "a fresh Task 1 session succeeded after the soak");
  assert.equal(result.malformed.total, 2 * MALFORMED_KINDS.length);
  assert.equal(result.unexpected, 0, JSON.stringify(result.malformed.entries(), null, 1));
  // Five sbmt sessions (every 4th of 20) were stored with 50 points.
  const rows = await store.rows();
  assert.equal(rows.filter((row) => row.task === 1 && row.best === 50).length, 5);
  const text = formatSoakReport({
    result,
    servers: [],
    loadStart: "0",
    loadEnd: "0",
    settings: { task2Clients: 50 },
  });
  assert.match(text, /Errors among well-formed clients: 0/);
  assert.match(text, /t2-bad-keyword: ERROR reply, closed by server +2 +ERROR Unknown request/);
  const json = soakReportJson({ result, servers: [], loadStart: "", loadEnd: "", settings: {} });
  const parsed = JSON.parse(JSON.stringify(json));
  assert.deepEqual(parsed.result.errors, { total: 0, entries: [] });
  assert.equal(parsed.result.malformed.total, 2 * MALFORMED_KINDS.length);
  assert.equal(parsed.result.task2.ok, 50);
});

Deno.test("runSoak() stops at its time limit, counts the clients cut off as unfinished, and still runs the fresh clients", async () => {
  await using compute = serveCompute({ hostname: "127.0.0.1", log() {} });
  await using grading = serveGrading({ hostname: "127.0.0.1", log() {} });
  const result = await runSoak({
    task2Port: compute.port,
    task1Port: grading.port,
    task2Clients: 3,
    task1Sessions: 0,
    malformed: 0,
    holdMs: 100,
    trickleMs: 50,
    // Six pauses of 100 ms: no client can finish within the 50 ms limit.
    pauseMs: 100,
    bodyPauseMs: 100,
    timeoutMs: 10_000,
    limitMs: 50,
    submitEvery: 0,
    maxFileBytes: 64,
    seed: 3,
  });
  assert.equal(result.capped, true);
  assert.deepEqual(result.errors.entries().map((e) => [e.label, e.count]), [
    ["task2 unfinished", 3],
  ]);
  assert.equal(result.task2.ok, 0);
  assert.equal(result.freshTask2.ok, 1);
  assert.equal(result.freshTask1.ok, 1);
});

Deno.test("statusKiB() and openFilesLimit() read /proc text", () => {
  const status = "Name:\tdeno\nVmHWM:\t  123456 kB\nVmRSS:\t   98765 kB\n";
  assert.equal(statusKiB(status, "VmHWM"), 123456);
  assert.equal(statusKiB(status, "VmRSS"), 98765);
  assert.ok(Number.isNaN(statusKiB(status, "VmSwap")));
  const limits = "Limit                     Soft Limit           Hard Limit           Units\n" +
    "Max open files            1024                 524288               files\n";
  assert.deepEqual(openFilesLimit(limits), { soft: 1024, hard: 524288 });
  assert.deepEqual(
    openFilesLimit("Max open files            unlimited            unlimited            files"),
    { soft: Infinity, hard: Infinity },
  );
  assert.equal(openFilesLimit("Max processes 10 10"), undefined);
  fc.assert(fc.property(fc.nat(), fc.nat(), (soft, hard) => {
    const line = `Max open files            ${soft}                 ${hard}               files\n`;
    assert.deepEqual(openFilesLimit(`Max cpu time  unlimited  unlimited  seconds\n${line}`), {
      soft,
      hard,
    });
    assert.equal(statusKiB(`VmHWM:\t${soft} kB\n`, "VmHWM"), soft);
  }));
  fc.assert(fc.property(fc.string(), (text) => {
    const parsed = openFilesLimit(text);
    assert.ok(parsed === undefined || (parsed.soft >= 0 && parsed.hard >= 0));
  }));
});

Deno.test("fibonacciByAdding() and factorialInOrder(), the plain loops the bench checks against, agree with the library", () => {
  for (const n of [0, 1, 2, 7, 30, 90]) {
    assert.equal(fibonacciByAdding(n), fibonacci(n));
    assert.equal(factorialInOrder(n), factorial(n));
  }
  assert.equal(fibonacciByAdding(7), 13n);
  assert.equal(factorialInOrder(0), 1n);
});

Deno.test("planTask2() plans two requests of each kind, its answers right by plain loops", () => {
  fc.assert(fc.property(fc.integer(), fc.integer({ min: 1, max: 4096 }), (seed, max) => {
    const plan = planTask2(seededRandom(seed), max);
    const counts = Object.groupBy(plan, (request) => request.type);
    assert.deepEqual(Object.values(counts).map((group) => group!.length), [2, 2, 2]);
    for (const { type, messages: [keyword, number, body], expected } of plan) {
      const n = Number(number);
      if (type === "FIBONACCI") assert.equal(expected, String(fibonacciByAdding(n)));
      if (type === "FACTORIAL") assert.equal(expected, String(factorialInOrder(n)));
      if (type !== "WORD_COUNT") assert.ok(n >= 0 && n <= 60 && body === undefined);
      else {
        assert.equal(keyword, "FILE");
        assert.equal(n, new TextEncoder().encode(body).length);
        assert.ok(n >= 1 && n <= max && /^[A-Za-z]/.test(body!));
        assert.equal(expected, String(countWords(new TextEncoder().encode(body))));
      }
    }
    assert.deepEqual(planTask2(seededRandom(seed), max), plan, "the same seed plans the same");
  }));
});

Deno.test("describeTask1Bytes() names the result packet, data packets or garbage", () => {
  const fail = encodePacket({
    flag: 1,
    keyword: "FAIL",
    sid: 10,
    data: new TextEncoder().encode("Invalid header"),
  });
  assert.deepEqual(describeTask1Bytes(fail, "closed"), {
    label: "FAIL packet, closed by server",
    detail: "FAIL 10: Invalid header",
  });
  const data = encodePacket({ flag: 0, keyword: "tree", sid: 20200000, data: new Uint8Array(9) });
  const both = new Uint8Array([...data, ...data]);
  assert.equal(describeTask1Bytes(both, "open").label, "data packets, still open when we left");
  assert.equal(
    describeTask1Bytes(new Uint8Array(5), "reset").label,
    "a partial packet, reset by server",
  );
  assert.equal(describeTask1Bytes(new Uint8Array(), "open").label, "still open when we left");
  assert.match(describeTask1Bytes(new Uint8Array(16).fill(0xff), "closed").label, /^bytes that/);
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
    assert.ok(describeTask1Bytes(bytes, "closed").label.endsWith("closed by server"));
  }));
});

Deno.test("describeTask2Text() tells an ERROR reply from a UUID and from nothing", () => {
  assert.equal(describeTask2Text("ERROR bad", "closed").label, "ERROR reply, closed by server");
  assert.equal(describeTask2Text("f".repeat(32), "open").label, "UUID, still open when we left");
  assert.equal(describeTask2Text("", "closed").label, "closed by server");
  assert.equal(describeTask2Text("junk", "reset").label, "other bytes, reset by server");
});

Deno.test("Tally counts by label and keeps the first example, escaped", () => {
  const tally = new Tally();
  tally.add("b", "first\u0007");
  tally.add("a");
  tally.add("b", "second");
  assert.equal(tally.total, 3);
  assert.deepEqual(tally.entries(), [
    { label: "b", count: 2, example: "first\\x07" },
    { label: "a", count: 1, example: "" },
  ]);
});

Deno.test("seededRandom() repeats for a seed and stays in [0, 1)", () => {
  const a = seededRandom(5);
  const b = seededRandom(5);
  const values = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(values, Array.from({ length: 1000 }, () => b()));
  assert.ok(values.every((v) => v >= 0 && v < 1));
  assert.notDeepEqual(values.slice(0, 5), Array.from({ length: 5 }, seededRandom(6)));
});
