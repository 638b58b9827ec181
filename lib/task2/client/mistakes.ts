/**
 * The Task 2 catalogue of mistakes: every mistake the test client can name
 * in a student's server by its cause, as data. Each entry reads evidence
 * taken from the wire (what was sent, what came back, how the connection
 * ended), never the program behind it. It lives beside the test client,
 * which owns the evidence and the reference values (F(n-1), (n+1)!) its
 * entries compare with. The list is docs/mistakes.md's Task 2 table.
 *
 * @module
 */

import { diagnose, type Diagnosis, type Mistake } from "../../net/diagnosis.ts";
import { showText } from "../../net/peer_text.ts";
import { factorial, fibonacci } from "../compute/compute.ts";
import { clientUuid, isUuidText, uuidDigits } from "../protocol/client_uuid.ts";
import type { TestRequest } from "./test_requests.ts";

/**
 * What a Task 2 mistake is judged on.
 *
 * - `reply`: a whole reply (it ended with `_` and a UUID) to `request`:
 *   the answer before the last `_`, the UUID after it, and any ASCII
 *   whitespace around them.
 * - `no-reply`: a request that got no whole reply: how the read ended, what
 *   came (raw), and which request was answered last.
 * - `greeting`: what came after the name instead of a UUID.
 * - `uuid`: the UUID a client was given (hex or dashed, both right).
 * - `after-complete`: what the server did after `COMPLETE`.
 * - `run`: the whole run (clients served one at a time).
 *
 * @example
 * ```ts
 * import { diagnoseTask2, type Task2Evidence } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * // The server reset the connection after COMPLETE: a warning, never a failure.
 * const evidence: Task2Evidence = { kind: "after-complete", end: "reset", got: "" };
 * assert.deepEqual(diagnoseTask2(evidence).map((d) => d.severity), ["warning"]);
 * ```
 */
export type Task2Evidence =
  | {
    kind: "reply";
    request: TestRequest;
    answer: string;
    replyUuid: string;
    uuid: string;
    /** Other clients' UUIDs by name, for a UUID shared between connections. */
    others: ReadonlyMap<string, string>;
    /** ASCII whitespace before the answer and after the UUID. */
    leading: string;
    trailing: string;
  }
  | {
    kind: "no-reply";
    request: TestRequest;
    /** `timeout`, `eof` (the server closed), `cap`, or `error` (a failed write or read). */
    end: "timeout" | "eof" | "cap" | "error";
    got: string;
    /** The request answered last on this connection (its label), if any. */
    previous: string | undefined;
    /** Which request this is on the connection, 1-based, and how many there are. */
    index: number;
    of: number;
    /** Requests of other types this connection got whole replies to. */
    answered: number;
    error?: string;
  }
  | { kind: "greeting"; name: string; got: string; end: "done" | "eof" | "timeout" | "cap" }
  | { kind: "uuid"; name: string; uuid: string }
  | { kind: "after-complete"; end: "reset" | "open" | "answered"; got: string }
  | { kind: "run"; unserved: readonly string[]; served: readonly string[]; barrierMs: number };

/** Python's default limit on the digits of an int it converts to text. */
const PYTHON_INT_DIGITS = 4300;

function nOf(request: TestRequest): number {
  return Number(request.messages[1]);
}

function replyOf(e: Task2Evidence, type?: TestRequest["type"]) {
  if (e.kind !== "reply" || (type && e.request.type !== type)) return undefined;
  return e;
}

/** Words in `text` the way the server must count them (maximal runs of non-whitespace). */
function words(text: string): number {
  return text.split(/[ \t\n\v\f\r]+/).filter((word) => word.length > 0).length;
}

/** The shortest prefix of `text` that holds `count` words, in bytes (ASCII text). */
function prefixWith(text: string, count: number): number {
  let seen = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = " \t\n\v\f\r".includes(text[i]!);
    if (!space && !inWord) {
      if (seen === count) return i;
      seen++;
    }
    inWord = !space;
  }
  return text.length;
}

const show = (text: string, max = 40) =>
  showText(text.length > max ? `${text.slice(0, max)}...` : text);

/**
 * Every Task 2 mistake the test client names, in the order they are reported.
 *
 * @example
 * ```ts
 * import { TASK2_MISTAKES } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const ids = TASK2_MISTAKES.map((entry) => entry.id);
 * assert.ok(ids.includes("task2.fibonacci.shifted"));
 * assert.equal(new Set(ids).size, ids.length);
 * ```
 */
export const TASK2_MISTAKES: readonly Mistake<Task2Evidence>[] = [
  {
    id: "task2.fibonacci.shifted",
    severity: "mistake",
    title: "Fibonacci sequence shifted by one",
    test: (e) => {
      const r = replyOf(e, "FIBONACCI");
      if (!r) return undefined;
      const n = nOf(r.request);
      for (const m of [n - 1, n + 1]) {
        if (m < 0 || r.answer !== fibonacci(m).toString()) continue;
        return `FIBONACCI ${n}: ${r.answer} is F(${m}), not F(${n}) = ${r.request.expected}: ` +
          `your sequence is shifted by one (F(0) = 0, F(1) = 1, so F(7) = 13; the slides' ` +
          `"fib of 7 is 8" is off by one)`;
      }
      return undefined;
    },
    fix: "Start from F(0) = 0 and F(1) = 1 and take F(n) = F(n-1) + F(n-2); check F(7) = 13.",
  },
  {
    id: "task2.factorial.off",
    severity: "mistake",
    title: "factorial off by one factor",
    test: (e) => {
      const r = replyOf(e, "FACTORIAL");
      if (!r) return undefined;
      const n = nOf(r.request);
      for (const m of [n - 1, n + 1]) {
        if (m < 0 || r.answer !== factorial(m).toString()) continue;
        return `FACTORIAL ${n}: ${r.answer} is ${m}!, not ${n}! = ${r.request.expected}: ` +
          (m < n ? "the loop stops one factor short" : "the loop takes one factor too many");
      }
      return undefined;
    },
    fix: "Multiply 1 * 2 * ... * n, n included (range(1, n + 1) in Python); 0! = 1.",
  },
  {
    id: "task2.word-count.one-off",
    severity: "mistake",
    title: "word count one off",
    test: (e) => {
      const r = replyOf(e, "WORD_COUNT");
      if (!r) return undefined;
      const expected = Number(r.request.expected);
      const got = Number(r.answer);
      if (got === expected - 1) {
        return `${r.request.label}: ${got} is one short of ${expected} words: ` +
          "that is the number of spaces between the words, not the words";
      }
      if (got === expected + 1) {
        return `${r.request.label}: ${got} is one more than the ${expected} words: ` +
          "a separator or the end of the text was counted as a word";
      }
      return undefined;
    },
    fix: "Count words, not separators: len(body.split()) in Python.",
  },
  {
    id: "task2.word-count.part-of-body",
    severity: "mistake",
    title: "word count of part of the body",
    test: (e) => {
      const r = replyOf(e, "WORD_COUNT");
      if (!r || !/^\d+$/.test(r.answer)) return undefined;
      const body = r.request.messages[2] ?? "";
      const expected = words(body);
      const got = Number(r.answer);
      if (got >= expected - 1) return undefined;
      const bytes = prefixWith(body, got);
      return `${r.request.label}: ${got} of the ${expected} words is the count of about the ` +
        `first ${bytes} of the ${body.length} bytes sent: the server counted only part of the body`;
    },
    fix: "Read the body until you have exactly `length` bytes (loop over recv); one recv may " +
      "return less than was sent.",
  },
  {
    id: "task2.reply.trailing-whitespace",
    severity: "mistake",
    title: "whitespace around a reply",
    test: (e) => {
      if (e.kind !== "reply" || (e.leading === "" && e.trailing === "")) return undefined;
      const where = e.trailing !== ""
        ? `ends with '${showText(e.trailing)}' after the UUID`
        : `starts with '${showText(e.leading)}'`;
      return `the reply to ${e.request.label} ${where}: replies carry no terminator ` +
        "(the course's client compares them byte for byte)";
    },
    fix: "Send exactly answer + '_' + uuid: no newline, no space (print() adds a newline; " +
      "sendall(f'{answer}_{uuid}'.encode()) does not).",
  },
  {
    id: "task2.reply.no-uuid",
    severity: "mistake",
    title: "answer without _uuid",
    test: (e) => {
      if (e.kind !== "no-reply" || e.end === "error" || e.got === "") return undefined;
      if (/_[0-9a-f-]{32,36}/i.test(e.got)) return undefined;
      return `the reply to ${e.request.label} was '${
        show(e.got)
      }' with no '_' and UUID after it, ` +
        "so the client waited for the rest";
    },
    fix: "End every answer with '_' and the UUID you sent the client: '13_<uuid>'.",
  },
  {
    id: "task2.uuid.mismatch",
    severity: "mistake",
    title: "reply under another UUID",
    test: (e) => {
      if (e.kind !== "reply" || e.replyUuid === e.uuid) return undefined;
      const digits = uuidDigits(e.replyUuid);
      if (digits === uuidDigits(e.uuid)) {
        return `the reply to ${e.request.label} ends with ${e.replyUuid}, the UUID sent in ` +
          `another form (${e.uuid}): dashed and plain are both fine, but one string in both places`;
      }
      for (const [name, other] of e.others) {
        if (uuidDigits(other) !== digits) continue;
        return `the reply to ${e.request.label} ends with ${name}'s UUID: the server keeps one ` +
          "UUID for all connections (a global variable?)";
      }
      return `the reply to ${e.request.label} ends with ${e.replyUuid}, not this connection's ` +
        `UUID ${e.uuid}`;
    },
    fix: "Keep each connection's UUID in that connection's own state and end its replies with it.",
  },
  {
    id: "task2.request.file-keyword",
    severity: "mistake",
    title: "no reply to FILE",
    test: (e) => {
      if (e.kind !== "no-reply" || e.request.type !== "WORD_COUNT") return undefined;
      if (e.got !== "" && !/^ERROR/.test(e.got)) return undefined;
      if (e.end === "eof" || e.end === "error") return undefined;
      return `no reply to ${e.request.label}: the course's client sends the keyword FILE (not ` +
        "WORD_COUNT) for a word count, then the length, then the body";
    },
    fix: "Match the keyword FILE, then read the length, then exactly that many body bytes.",
  },
  {
    id: "task2.server.closed-after-request",
    severity: "mistake",
    title: "server closes after a request",
    test: (e) => {
      if (e.kind !== "no-reply" || (e.end !== "eof" && e.end !== "error")) return undefined;
      if (e.end === "error" && !/broken pipe|reset|closed/i.test(e.error ?? "")) return undefined;
      const after = e.previous === undefined
        ? "after sending the UUID, before any request"
        : `after answering ${e.previous}`;
      return `the server closed the connection ${after}, so request ${e.index} of ${e.of} ` +
        `(${e.request.label}) went unanswered`;
    },
    fix: "Loop: keep reading requests on the same connection until COMPLETE, and close only then.",
  },
  {
    id: "task2.server.python-int-digits",
    severity: "mistake",
    title: "no answer past 4,300 digits",
    test: (e) => {
      if (e.kind !== "no-reply" && e.kind !== "reply") return undefined;
      const digits = e.request.expected.length;
      if (digits <= PYTHON_INT_DIGITS || e.request.type === "WORD_COUNT") return undefined;
      // Only a server that did answer before: one that answers nothing is not singled out.
      if (e.kind === "no-reply" && e.answered === 0) return undefined;
      if (e.kind === "reply" && !/4300|int_max_str_digits|Exceeds the limit/.test(e.answer)) {
        return undefined;
      }
      return `no answer to ${e.request.label} (${digits} digits): Python refuses to turn an int ` +
        `of more than ${PYTHON_INT_DIGITS} digits into text (ValueError: Exceeds the limit)`;
    },
    fix: "Call sys.set_int_max_str_digits(0) once at start (Python 3.11+), before str(n).",
  },
  {
    id: "task2.uuid.trailing-whitespace",
    severity: "mistake",
    title: "whitespace after the UUID",
    test: (e) => {
      if (e.kind !== "greeting") return undefined;
      const uuid = e.got.replace(/[ \t\n\v\f\r]+$/, "");
      if (uuid === e.got || !isUuidText(uuid)) return undefined;
      return `the UUID came with '${showText(e.got.slice(uuid.length))}' after it: the UUID is ` +
        "sent bare, and every reply must end with exactly that string";
    },
    fix: "Send the 32 hex digits alone: no newline (print() and '\\n' add one).",
  },
  {
    id: "task2.uuid.not-uuid3",
    severity: "warning",
    title: "UUID not uuid3(NAMESPACE_DNS, name)",
    test: (e) => {
      if (e.kind !== "uuid") return undefined;
      const right = clientUuid(e.name);
      const digits = uuidDigits(e.uuid);
      if (digits === right) return undefined;
      const version = digits[12];
      const kind = version === "4"
        ? "a random (version 4) UUID"
        : version === "5"
        ? "a version 5 (SHA-1) UUID"
        : version === "3"
        ? "a version 3 UUID of another name or namespace"
        : `a version ${showText(version ?? "?")} UUID`;
      return `${showText(e.name)} got ${kind}, not uuid3(NAMESPACE_DNS, '${showText(e.name)}') = ` +
        `${right}; no points lost, as long as each client's is its own`;
    },
    fix: "Use uuid.uuid3(uuid.NAMESPACE_DNS, name).hex (the course's screenshot has these values).",
  },
  {
    id: "task2.peer.grading-server",
    severity: "mistake",
    title: "talking to the Task 1 grading server",
    test: (e) => {
      if (e.kind !== "greeting") return undefined;
      const keyword = e.got.slice(4, 8);
      if (e.got.length < 16 || e.got.charCodeAt(0) !== 0 || !/^(FAIL|GOOD)$/.test(keyword)) {
        return undefined;
      }
      return `the server answered with a 16-byte Task 1 result packet (${keyword}): ` +
        "this is the Task 1 grading server, not a Task 2 compute server";
    },
    fix: "Point the test client at your Task 2 server's port (check --host and --port).",
  },
  {
    id: "task2.peer.silent",
    severity: "mistake",
    title: "no UUID after the name",
    test: (e) => {
      if (e.kind !== "greeting" || e.end !== "timeout" || e.got !== "") return undefined;
      return `the server read ${showText(e.name)} and said nothing: a Task 2 server answers the ` +
        "name with its UUID at once (a Task 1 grading server waits for a 16-byte header in " +
        "silence; a server that waits for a newline waits forever: the name has none)";
    },
    fix: "Answer the name with its UUID right away; do not wait for a newline or more bytes.",
  },
  {
    id: "task2.server.one-client-at-a-time",
    severity: "mistake",
    title: "one client at a time",
    test: (e) => {
      if (e.kind !== "run" || e.unserved.length === 0) return undefined;
      return `${e.unserved.join(", ")} got no UUID within ${e.barrierMs} ms while ` +
        `${e.served.join(", ") || "the others"} waited: the server serves one client at a time`;
    },
    fix: "Serve each connection in its own thread (threading.Thread per accept) or with " +
      "selectors/asyncio, so every client is answered at once.",
  },
  {
    id: "task2.server.reset-after-complete",
    severity: "warning",
    title: "reset after COMPLETE",
    test: (e) => {
      if (e.kind !== "after-complete" || e.end !== "reset") return undefined;
      return "the server reset the connection at the end instead of closing it (it closed " +
        "with bytes unread, or with SO_LINGER 0); every reply had come, so no points lost";
    },
    fix: "Read every byte the client sent, COMPLETE included, then close the socket normally " +
      "(conn.close()).",
  },
];

/**
 * The diagnoses of `evidence` against {@linkcode TASK2_MISTAKES}.
 *
 * @example
 * ```ts
 * import { diagnoseTask2 } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const found = diagnoseTask2({ kind: "after-complete", end: "reset", got: "" });
 * assert.deepEqual(found.map((d) => [d.id, d.severity]), [
 *   ["task2.server.reset-after-complete", "warning"],
 * ]);
 * ```
 */
export function diagnoseTask2(evidence: Task2Evidence): Diagnosis[] {
  return diagnose(TASK2_MISTAKES, evidence);
}
