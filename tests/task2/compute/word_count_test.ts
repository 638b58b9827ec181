import assert from "node:assert/strict";
import fc from "../../helpers/fast_check.ts";
import { countWords, isAsciiSpace, WordCounter } from "../../../lib/task2/compute/word_count.ts";

Deno.test("countWords() counts the course's sample file as 10", () => {
  assert.equal(countWords("A B C D E F G H I J"), 10);
});

Deno.test("countWords() handles empty and whitespace-only text", () => {
  assert.equal(countWords(""), 0);
  assert.equal(countWords(" "), 0);
  assert.equal(countWords(" \t\n\v\f\r "), 0);
});

Deno.test("countWords() ignores leading, trailing and repeated whitespace", () => {
  assert.equal(countWords("  one"), 1);
  assert.equal(countWords("one  "), 1);
  assert.equal(countWords("one   two\t\tthree"), 3);
  assert.equal(countWords("\n\nline one\nline two\n\n"), 4);
  assert.equal(countWords("tab\tseparated\tvalues"), 3);
  assert.equal(countWords("crlf\r\nends\r\n"), 2);
});

Deno.test("countWords() treats punctuation and non-ASCII bytes as word bytes", () => {
  assert.equal(countWords("don't stop -- ok"), 4);
  assert.equal(countWords("caf\u00e9\u00a0bar"), 1); // U+00A0 is not ASCII whitespace
  assert.equal(countWords(new Uint8Array([0x00, 0x20, 0xff])), 2);
});

Deno.test("isAsciiSpace() is true for exactly the six wc -w separators", () => {
  const spaces = [];
  for (let byte = 0; byte < 256; byte++) if (isAsciiSpace(byte)) spaces.push(byte);
  assert.deepEqual(spaces, [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20]);
});

Deno.test("WordCounter counts a word split across chunks once", () => {
  const counter = new WordCounter();
  for (const byte of new TextEncoder().encode(" split words\n")) {
    counter.push(new Uint8Array([byte]));
  }
  assert.equal(counter.count, 2);
  counter.push(new Uint8Array(0));
  assert.equal(counter.count, 2);
});

Deno.test("WordCounter over any chunking equals countWords() of the whole text", () => {
  const alphabet = fc.constantFrom(..."ab \t\n\r\v\f.".split(""));
  fc.assert(
    fc.property(
      fc.array(alphabet, { maxLength: 200 }),
      fc.array(fc.nat(200), { maxLength: 10 }),
      (chars, cuts) => {
        const bytes = new TextEncoder().encode(chars.join(""));
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))]
          .sort((a, b) => a - b);
        const counter = new WordCounter();
        let start = 0;
        for (const point of [...points, bytes.length]) {
          counter.push(bytes.subarray(start, point));
          start = point;
        }
        assert.equal(counter.count, countWords(bytes));
      },
    ),
  );
});

Deno.test("countWords() equals the number of words joined by any whitespace", () => {
  const word = fc.stringMatching(/^[A-Za-z0-9]{1,8}$/);
  const space = fc.stringMatching(/^[ \t\n\r\v\f]{1,3}$/);
  fc.assert(
    fc.property(fc.array(fc.tuple(word, space), { maxLength: 50 }), space, (pairs, lead) => {
      const text = lead + pairs.map(([w, s]) => w + s).join("");
      assert.equal(countWords(text), pairs.length);
    }),
  );
});
