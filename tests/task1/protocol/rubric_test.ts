import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import { randomPlaintext, ReplyChecker } from "../../../lib/task1/protocol/rubric.ts";

Deno.test("ReplyChecker finds the first difference however the reply is cut and aligned", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 400 }),
      fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 20 }),
      fc.integer({ min: -1, max: 399 }),
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: -5, max: 5 }),
      (expected, cuts, flipAt, offset, extra) => {
        const reply = new Uint8Array(Math.max(0, expected.length + extra));
        reply.set(expected.subarray(0, reply.length));
        if (flipAt >= 0 && flipAt < reply.length) reply[flipAt]! ^= 0x20;
        const checker = new ReplyChecker(expected);
        let at = 0;
        for (const cut of [...cuts, reply.length]) {
          const piece = reply.subarray(at, Math.min(reply.length, at + cut));
          // Copy each piece to a misaligned view, as a packet's data may be.
          const backing = new Uint8Array(piece.length + offset);
          backing.set(piece, offset);
          checker.push(backing.subarray(offset));
          at += piece.length;
          if (at >= reply.length) break;
        }
        let first = -1;
        const common = Math.min(reply.length, expected.length);
        for (let i = 0; i < common && first === -1; i++) if (reply[i] !== expected[i]) first = i;
        assert.equal(checker.received, reply.length);
        assert.equal(checker.dataMatches, first === -1 && reply.length === expected.length);
        if (first !== -1) assert.match(checker.mismatch()!, new RegExp(`at byte ${first}:`));
      },
    ),
  );
});

Deno.test("randomPlaintext() gives printable ASCII only", () => {
  const text = randomPlaintext(100_000);
  assert.ok(text.every((b) => b >= 0x20 && b <= 0x7e));
  assert.ok(new Set(text).size > 90); // nearly every printable character shows up
});
