import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import { countWords } from "../../../lib/task2/compute/word_count.ts";
import { checkReply, isUuidPrefix, isWholeReply } from "../../../lib/task2/protocol/reply_check.ts";
import {
  COURSE_FILE_BYTES,
  planRequests,
  randomText,
  splitWrites,
  WRITE_MODES,
} from "../../../lib/task2/client/test_requests.ts";
import {
  formatScore,
  type RequestOutcome,
  scoreOutcomes,
} from "../../../lib/task2/client/test_score.ts";

const UUID = "f97e575c28d536b49170f3cbaef757af";

Deno.test("planRequests() draws two of each type with the right answers", () => {
  fc.assert(
    fc.property(fc.integer(), (seed) => {
      let state = seed >>> 0;
      const random = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
      const plan = planRequests({ random, maxFileBytes: 5000 });
      assert.deepEqual(plan.map((request) => request.type).sort(), [
        "FACTORIAL",
        "FACTORIAL",
        "FIBONACCI",
        "FIBONACCI",
        "WORD_COUNT",
        "WORD_COUNT",
      ]);
      for (const request of plan) {
        if (request.type === "WORD_COUNT") {
          const [keyword, length, body] = request.messages;
          assert.equal(keyword, "FILE");
          assert.equal(Number(length), new TextEncoder().encode(body).length);
          assert.equal(request.expected, String(countWords(body!)));
          assert.ok(body!.length <= 5000);
        } else {
          const n = Number(request.messages[1]);
          assert.match(request.messages[1]!, /^[1-9]$/); // single digits, as the course sent
          if (request.type === "FIBONACCI" && n === 7) assert.equal(request.expected, "13");
          if (request.type === "FACTORIAL" && n === 6) assert.equal(request.expected, "720");
        }
      }
    }),
    { numRuns: 50 },
  );
});

Deno.test("randomText() joins letter words with single spaces and fits the size", () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 3000 }), (bytes) => {
      const { text, words } = randomText(bytes, Math.random);
      assert.match(text, /^[A-Za-z]+( [A-Za-z]+)*$/);
      assert.equal(countWords(text), words);
      assert.ok(text.length <= Math.max(1, bytes), `${text.length} > ${bytes}`);
      assert.ok(text.length >= bytes - 1, `${text.length} much below ${bytes}`);
    }),
    { numRuns: 200 },
  );
  assert.equal(randomText(0, Math.random).words, 1);
});

Deno.test("planRequests() sends course-sized FILE bodies by default", () => {
  for (let i = 0; i < 50; i++) {
    for (const request of planRequests().filter((r) => r.type === "WORD_COUNT")) {
      assert.ok(request.messages[2]!.length <= COURSE_FILE_BYTES);
      assert.ok(COURSE_FILE_BYTES < 1024);
    }
  }
});

Deno.test("splitWrites() never changes the bytes, only where writes end", () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 3 }),
      fc.constantFrom(...WRITE_MODES),
      (messages, mode) => {
        const groups = splitWrites(messages, mode);
        const joined = groups.flat().map((bytes) => new TextDecoder().decode(bytes)).join("");
        assert.equal(joined, messages.join(""));
        if (mode === "bytewise") {
          // Keywords and bodies go one byte per write; a number stays one write.
          groups.forEach((group, i) =>
            assert.ok(
              /^[0-9]+$/.test(messages[i]!)
                ? group.length === 1
                : group.every((b) => b.length === 1),
            )
          );
        }
        if (mode === "single") assert.equal(groups.flat().length, 1);
      },
    ),
  );
});

Deno.test("scoreOutcomes() gives full, half and no points per type", () => {
  const all = (ok: boolean): RequestOutcome[] =>
    ["FIBONACCI", "FIBONACCI", "FACTORIAL", "FACTORIAL", "WORD_COUNT", "WORD_COUNT"].map((
      type,
    ) => ({ type: type as RequestOutcome["type"], ok }));
  assert.equal(scoreOutcomes([all(true), all(true), all(true), all(true)]).total, 40);
  assert.equal(scoreOutcomes([all(true), all(false), all(false), all(false)]).total, 20);
  assert.equal(scoreOutcomes([all(false), all(false)]).total, 0);
  const oneWrong = all(true);
  oneWrong[4]!.ok = false;
  const score = scoreOutcomes([oneWrong, all(true)]);
  assert.deepEqual([score.fibonacci.points, score.factorial.points, score.wordCount.points], [
    10,
    10,
    10,
  ]);
  assert.deepEqual(formatScore(score), [
    "Fib 4, Fact 4, Word 3",
    "-----",
    "Total points 30/40",
    "-----",
  ]);
});

Deno.test("scoreOutcomes() gives nothing for a type a client never got to send", () => {
  const score = scoreOutcomes([[{ type: "FIBONACCI", ok: true }]]);
  assert.deepEqual([score.fibonacci.points, score.factorial.points, score.wordCount.points], [
    10,
    0,
    0,
  ]);
});

Deno.test("isUuidPrefix() and isWholeReply() find where a UUID and a reply end", () => {
  assert.ok(isUuidPrefix(""));
  assert.ok(isUuidPrefix(UUID));
  assert.ok(isUuidPrefix("f97e575c-28d5-36b4-9170-f3cb"));
  assert.ok(!isUuidPrefix(`${UUID}0`));
  assert.ok(!isUuidPrefix("f97e575c28d5-"));
  assert.ok(isWholeReply(`0_${UUID}`));
  assert.ok(isWholeReply("1_f97e575c-28d5-36b4-9170-f3cbaef757af"));
  assert.ok(!isWholeReply(`0_${UUID.slice(1)}`));
});

Deno.test("checkReply() names what is wrong with a reply", () => {
  assert.equal(checkReply(`720_${UUID}`, "720", UUID), "Okay");
  assert.equal(checkReply("720", "720", UUID), `expected '720_${UUID}', got '720'`);
  assert.equal(
    checkReply(`ERROR FIBONACCI n must be at most 100000, got 250000_${UUID}`, "1", UUID),
    "server replied 'ERROR FIBONACCI n must be at most 100000, got 250000'",
  );
  const other = "c5fdeac9dbd9322ca157a09ac7052824";
  assert.equal(
    checkReply(`1_${other}`, "1", UUID),
    `reply ends with UUID ${other}, this connection's is ${UUID}`,
  );
});

Deno.test("planRequests() honours minN and maxN", () => {
  const plan = planRequests({ minN: 0, maxN: 0, maxFileBytes: 10 });
  for (const request of plan.filter((r) => r.type !== "WORD_COUNT")) {
    assert.equal(request.messages[1], "0");
    assert.equal(request.expected, request.type === "FIBONACCI" ? "0" : "1");
  }
});

Deno.test("planRequests() labels a FILE by its size, one byte as '1 byte'", () => {
  const plan = planRequests({ random: () => 0, maxFileBytes: 1000 });
  const labels = plan.filter((r) => r.type === "WORD_COUNT").map((r) => r.label);
  assert.deepEqual(labels, ["FILE (WORD_COUNT) of 1 byte", "FILE (WORD_COUNT) of 1 byte"]);
  const big = planRequests({ random: () => 0.999, maxFileBytes: 1000 });
  for (const request of big.filter((r) => r.type === "WORD_COUNT")) {
    assert.match(request.label, /^FILE \(WORD_COUNT\) of \d{3} bytes$/);
  }
});
