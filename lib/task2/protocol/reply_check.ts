/**
 * How the Task 2 test client reads the server's bytes: where a UUID or a
 * reply ends, and whether a reply is right. Replies carry no terminator, so
 * a reply is complete when it ends in `_` and a UUID, in either form.
 *
 * @module
 */

import { showBytes } from "../../net/peer_text.ts";

/** Raw Latin-1 text (one character per byte) escaped for printing, as `showBytes` escapes bytes. */
const display = (raw: string) => showBytes(Array.from(raw, (c) => c.charCodeAt(0)));

const UUID_PREFIX =
  /^(?:[0-9a-f]{0,32}|[0-9a-f]{8}-(?:[0-9a-f]{0,4}|[0-9a-f]{4}-(?:[0-9a-f]{0,4}|[0-9a-f]{4}-(?:[0-9a-f]{0,4}|[0-9a-f]{4}-[0-9a-f]{0,12}))))$/i;
const REPLY_END = /_([0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

/**
 * Whether `text` could still grow into a UUID (hex or dashed form), so a
 * reader should wait for more.
 *
 * @example
 * ```ts
 * import { isUuidPrefix } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isUuidPrefix("f97e575c-28d5"));
 * assert.ok(!isUuidPrefix("ERROR"));
 * ```
 */
export function isUuidPrefix(text: string): boolean {
  return UUID_PREFIX.test(text);
}

/**
 * Whether `text` is a whole reply: it ends in `_` and a UUID.
 *
 * @example
 * ```ts
 * import { isWholeReply } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isWholeReply("13_f97e575c28d536b49170f3cbaef757af"));
 * assert.ok(!isWholeReply("13_f97e575c28d536b4"));
 * ```
 */
export function isWholeReply(text: string): boolean {
  return REPLY_END.test(text);
}

/**
 * Shortens long text from the wire for a message.
 *
 * @example
 * ```ts
 * import { shorten } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(shorten("x".repeat(70)), `${"x".repeat(60)}...(70 bytes)`);
 * ```
 */
export function shorten(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}...(${text.length} bytes)` : text;
}

/**
 * A whole reply taken apart and judged: `right`, or `wrong` with what is
 * wrong (`problem`, escaped for printing). `answer` is the part before the
 * last `_`, `uuid` the part after it, `leading` and `trailing` the ASCII
 * whitespace around them (a reply carries none, so any costs the request).
 *
 * @example
 * ```ts
 * import { judgeReply, type ReplyJudgement } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const uuid = "f97e575c28d536b49170f3cbaef757af";
 * const judgement: ReplyJudgement = judgeReply(`13_${uuid}\n`, "13", uuid);
 * assert.equal(judgement.status, "wrong");
 * assert.equal(judgement.trailing, "\n");
 * ```
 */
export interface ReplyJudgement {
  /** Whether the reply is exactly `expected_uuid`. */
  status: "right" | "wrong" | "unreadable";
  /** What is wrong, escaped; `Okay` when right. */
  problem: string;
  /** The answer before the last `_` (raw), when the reply ends with `_` and a UUID. */
  answer: string;
  /** The UUID after the last `_` (raw), when there is one. */
  uuid: string;
  /** ASCII whitespace before the answer. */
  leading: string;
  /** ASCII whitespace after the UUID. */
  trailing: string;
}

/**
 * Judges a whole reply (raw text, one character per byte) against the expected answer and the UUID
 * this connection was given (the same string, hex or dashed).
 *
 * @example
 * ```ts
 * import { judgeReply } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const uuid = "f97e575c28d536b49170f3cbaef757af";
 * assert.equal(judgeReply(`13_${uuid}`, "13", uuid).status, "right");
 * assert.equal(judgeReply(`8_${uuid}`, "13", uuid).problem, "expected 13, got '8'");
 * ```
 */
export function judgeReply(reply: string, expected: string, uuid: string): ReplyJudgement {
  const leading = /^[ \t\n\v\f\r]*/.exec(reply)![0];
  const trailing = /[ \t\n\v\f\r]*$/.exec(reply.slice(leading.length))![0];
  const core = reply.slice(leading.length, reply.length - trailing.length);
  const match = REPLY_END.exec(core);
  const judgement = (status: ReplyJudgement["status"], problem: string): ReplyJudgement => ({
    status,
    problem,
    answer: match ? core.slice(0, match.index) : "",
    uuid: match ? match[1]! : "",
    leading,
    trailing,
  });
  if (match === null) {
    return judgement(
      "unreadable",
      `expected '${expected}_${uuid}', got '${shorten(display(reply))}'`,
    );
  }
  const answer = core.slice(0, match.index);
  if (match[1] !== uuid) {
    return judgement("wrong", `reply ends with UUID ${match[1]}, this connection's is ${uuid}`);
  }
  if (answer.startsWith("ERROR")) {
    return judgement("wrong", `server replied '${shorten(display(answer))}'`);
  }
  if (answer !== expected) {
    return judgement("wrong", `expected ${shorten(expected)}, got '${shorten(display(answer))}'`);
  }
  if (leading !== "" || trailing !== "") {
    const where = trailing !== "" ? `'${display(trailing)}' after` : `'${display(leading)}' before`;
    return judgement("wrong", `${where} the reply; a reply carries no terminator`);
  }
  return judgement("right", "Okay");
}

/**
 * Checks a whole reply against the expected answer and the UUID this
 * connection was given (the same string, hex or dashed): returns `Okay`, or
 * what is wrong ({@linkcode judgeReply}'s problem).
 *
 * @example
 * ```ts
 * import { checkReply } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const uuid = "f97e575c28d536b49170f3cbaef757af";
 * assert.equal(checkReply(`13_${uuid}`, "13", uuid), "Okay");
 * assert.equal(checkReply(`8_${uuid}`, "13", uuid), "expected 13, got '8'");
 * ```
 */
export function checkReply(reply: string, expected: string, uuid: string): string {
  return judgeReply(reply, expected, uuid).problem;
}
