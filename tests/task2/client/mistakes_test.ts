import assert from "node:assert/strict";
import { serveTcp } from "../../../lib/net/listener.ts";
import { serveGrading } from "../../../lib/task1/grading/grading_server.ts";
import { factorial, fibonacci } from "../../../lib/task2/compute/compute.ts";
import { clientUuid } from "../../../lib/task2/protocol/client_uuid.ts";
import {
  runTestClient,
  type TestClientOptions,
  type TestReport,
} from "../../../lib/task2/client/test_client.ts";
import { TASK2_MISTAKES } from "../../../lib/task2/client/mistakes.ts";
import { WRITE_MODES } from "../../../lib/task2/client/test_requests.ts";
import { testServer } from "../../helpers/task2_peer.ts";
import {
  dashed,
  mistakenServer,
  type ServerMistakes,
} from "../../helpers/task2_mistaken_server.ts";

/** Every draw at its top: n = 9, FILE bodies near 1,000 bytes, requests unshuffled (FIB, FACT, FILE). */
const TOP = () => 0.99;

function options(port: number, extra: Partial<TestClientOptions> = {}): TestClientOptions {
  return {
    hostname: "127.0.0.1",
    port,
    pauseMs: 2,
    timeoutMs: 10_000,
    barrierMs: 5_000,
    random: TOP,
    log() {},
    ...extra,
  };
}

/** Runs the test client against a server making `mistakes`; the report and every line. */
async function against(
  mistakes: ServerMistakes,
  extra: Partial<TestClientOptions> = {},
): Promise<{ report: TestReport; lines: string[] }> {
  await using server = mistakenServer(mistakes);
  const lines: string[] = [];
  const report = await runTestClient(
    options(server.port, { log: (line) => lines.push(line), ...extra }),
  );
  return { report, lines };
}

function ids(report: TestReport): string[] {
  return report.diagnoses.map((d) => d.id);
}

/** Asserts the run names `id` (and its message matches `message`), in the report and a line. */
function names(run: { report: TestReport; lines: string[] }, id: string, message: RegExp): void {
  const found = run.report.diagnoses.find((d) => d.id === id);
  assert.ok(found, `${id} not among ${ids(run.report).join(", ")}\n${run.lines.join("\n")}`);
  assert.match(found.message, message);
  assert.ok(TASK2_MISTAKES.some((entry) => entry.id === id && entry.fix === found.fix));
}

Deno.test("runTestClient() names a Fibonacci sequence shifted by one, as the slides' fib(7) = 8", async () => {
  const run = await against({ fibonacci: (n) => fibonacci(n - 1) });
  names(run, "task2.fibonacci.shifted", /^FIBONACCI 9: 21 is F\(8\), not F\(9\) = 34: /);
  assert.ok(
    run.lines.some((line) =>
      line.startsWith("[Client1] FIBONACCI 9 Failed: expected 34, got '21'; LIKELY CAUSE: ")
    ),
    run.lines.join("\n"),
  );
  assert.equal(run.report.score.total, 30);
});

Deno.test("runTestClient() names a factorial one factor short", async () => {
  const run = await against({ factorial: (n) => factorial(n - 1) });
  names(run, "task2.factorial.off", /^FACTORIAL 9: 40320 is 8!, not 9! = 362880: .*short/);
});

Deno.test("runTestClient() names a word count of the spaces", async () => {
  const run = await against({ countSpaces: true });
  names(run, "task2.word-count.one-off", /is one short of \d+ words: that is the number of spaces/);
  assert.ok(!ids(run.report).includes("task2.word-count.part-of-body"));
});

Deno.test("runTestClient() names a word count of part of the body, and how much was sent", async () => {
  const run = await against({ countFirst: 100 });
  names(
    run,
    "task2.word-count.part-of-body",
    /^FILE \(WORD_COUNT\) of \d+ bytes: 10 of the \d+ words is the count of about the first 110 of the \d+ bytes sent/,
  );
});

Deno.test("runTestClient() sees a newline after each reply at once and fails those requests", async () => {
  // A 60 s time-out: were the newline waited out, the test would take minutes.
  const run = await against({ suffix: "\n" }, { timeoutMs: 60_000 });
  names(run, "task2.reply.trailing-whitespace", /ends with '\\x0a' after the UUID/);
  const requests = run.report.clients.flatMap((client) => client.requests);
  assert.equal(requests.length, 24);
  assert.ok(requests.every((request) => request.status === "wrong"), JSON.stringify(requests[0]));
  assert.equal(run.report.score.total, 0);
});

Deno.test("runTestClient() names an answer sent without _uuid", async () => {
  const run = await against({ omitUuid: true }, { timeoutMs: 300, clients: 1 });
  names(run, "task2.reply.no-uuid", /^the reply to FIBONACCI 9 was '34' with no '_' and UUID/);
});

Deno.test("runTestClient() names a reply under a UUID in another form, or another client's", async () => {
  const form = await against({ replyUuid: (uuid) => dashed(uuid) });
  names(form, "task2.uuid.mismatch", /the UUID sent in another form/);
  const shared = await against({ sharedUuid: true });
  names(
    shared,
    "task2.uuid.mismatch",
    /ends with Client\d's UUID: the server keeps one UUID for all connections/,
  );
});

Deno.test("runTestClient() says the course's client sends FILE when a server never answers it", async () => {
  const run = await against({ noFile: true }, { timeoutMs: 300, clients: 1 });
  names(
    run,
    "task2.request.file-keyword",
    /^no reply to FILE \(WORD_COUNT\) of \d+ bytes: the course's client sends the keyword FILE/,
  );
  assert.ok(run.lines.some((line) => line.includes("[Client1] FILE (WORD_COUNT) of")));
});

Deno.test("runTestClient() names a server that closes after a request, and which one", async () => {
  const run = await against({ closeAfter: 1 }, { clients: 1 });
  names(
    run,
    "task2.server.closed-after-request",
    /^the server closed the connection after answering FIBONACCI 9, so request 2 of 6 \(FIBONACCI 9\) went unanswered$/,
  );
  const failed = run.lines.find((line) => line.includes("Failed"));
  assert.match(failed!, /LIKELY CAUSE: the server closed the connection after answering/);
});

Deno.test("runTestClient() names sys.set_int_max_str_digits for a server that stops past 4,300 digits", async () => {
  const run = await against({ maxDigits: 4300 }, { clients: 1, minN: 2000, maxN: 2000 });
  names(run, "task2.server.python-int-digits", /^no answer to FACTORIAL 2000 \(5736 digits\)/);
  const found = run.report.diagnoses.find((d) => d.id === "task2.server.python-int-digits");
  assert.match(found!.fix, /sys\.set_int_max_str_digits\(0\)/);
});

Deno.test("runTestClient() warns, at no cost, of a UUID that is not uuid3(NAMESPACE_DNS, name)", async () => {
  const run = await against({ uuid: () => crypto.randomUUID().replaceAll("-", "") });
  names(run, "task2.uuid.not-uuid3", /^Client\d got a random \(version 4\) UUID, not uuid3/);
  assert.equal(run.report.score.total, 40);
  assert.ok(run.report.diagnoses.every((d) => d.severity === "warning"));
});

Deno.test("runTestClient() names a newline after the UUID", async () => {
  const run = await against({ uuidSuffix: "\n" }, { clients: 1 });
  names(run, "task2.uuid.trailing-whitespace", /^the UUID came with '\\x0a' after it/);
});

Deno.test("runTestClient() names a server that serves one client at a time", async () => {
  const run = await against({ sequential: true }, { barrierMs: 300 });
  names(
    run,
    "task2.server.one-client-at-a-time",
    /got no UUID within 300 ms while Client\d waited/,
  );
  assert.equal(run.report.sequential, true);
});

Deno.test("runTestClient() warns, never fails, on a reset after COMPLETE", async () => {
  const run = await against({ resetAfterComplete: true }, { writeMode: "single", clients: 2 });
  names(run, "task2.server.reset-after-complete", /reset the connection at the end/);
  assert.equal(run.report.score.total, 40);
  assert.ok(!run.lines.some((line) => line.includes("Failed")), run.lines.join("\n"));
  assert.equal(run.report.diagnoses.every((d) => d.severity === "warning"), true);
});

Deno.test("runTestClient() says in one line that it is talking to the Task 1 grading server", async () => {
  await using server = serveGrading({ hostname: "127.0.0.1", timeoutMs: 100, log: () => {} });
  const lines: string[] = [];
  const report = await runTestClient(
    options(server.port, { clients: 1, log: (line) => lines.push(line) }),
  );
  assert.ok(ids(report).includes("task2.peer.grading-server"), lines.join("\n"));
  const failed = lines.filter((line) => line.includes("Failed"));
  assert.equal(failed.length, 1);
  assert.match(failed[0]!, /LIKELY CAUSE: .*this is the Task 1 grading server/);
});

Deno.test("runTestClient() names a server that says nothing after the name", async () => {
  await using server = serveTcp({ hostname: "127.0.0.1", port: 0 }, async (conn) => {
    await conn.readable.pipeTo(new WritableStream()); // reads, never answers
  }, { log: () => {} });
  const lines: string[] = [];
  const report = await runTestClient(
    options(server.port, { clients: 1, timeoutMs: 200, log: (line) => lines.push(line) }),
  );
  assert.ok(ids(report).includes("task2.peer.silent"), lines.join("\n"));
});

Deno.test("runTestClient() raises nothing against right servers, however they frame or dash", async () => {
  const right = await against({});
  assert.deepEqual([right.report.score.total, ids(right.report)], [40, []]);
  const both = await against({ uuid: (name) => dashed(clientUuid(name)) });
  assert.deepEqual([both.report.score.total, ids(both.report)], [40, []]);
  assert.ok(both.report.clients.every((client) => client.warnings.length === 0));
  const lines: string[] = [];
  await using server = testServer(lines, { gapMs: 5 });
  for (const writeMode of WRITE_MODES) {
    const report = await runTestClient(
      options(server.port, { writeMode, random: Math.random }),
    );
    assert.deepEqual([writeMode, report.score.total, ids(report)], [writeMode, 40, []]);
    assert.ok(report.clients.every((client) => client.warnings.length === 0), writeMode);
  }
});
