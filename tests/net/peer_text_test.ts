import assert from "node:assert/strict";
import fc from "../helpers/fast_check.ts";
import { showBytes, showText } from "../../lib/net/peer_text.ts";
import { hexPreview } from "../../lib/net/hex_preview.ts";

/** Undoes showBytes' escapes (\\, \xNN), to check nothing is lost. */
function unescapeBytes(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "\\") bytes.push(text.charCodeAt(i));
    else if (text[i + 1] === "\\") bytes.push(0x5c), i++;
    else bytes.push(parseInt(text.slice(i + 2, i + 4), 16)), i += 3;
  }
  return bytes;
}

Deno.test("showBytes() prints only printable ASCII and loses no byte", () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
    const shown = showBytes(bytes);
    assert.match(shown, /^[\x20-\x7e]*$/);
    assert.deepEqual(unescapeBytes(shown), [...bytes]);
  }));
});

Deno.test("showText() leaves no control, separator or bidi character in what it prints", () => {
  // Matching control characters is the point.
  // deno-lint-ignore no-control-regex
  const unsafe = /[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
  fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 64 }), (text) => {
    assert.doesNotMatch(showText(text), unsafe);
  }));
  assert.equal(showText("a\u202eb\\"), "a\\u{202e}b\\\\");
});

Deno.test("hexPreview() shows at most `max` bytes in hex and counts the rest", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 48 }), fc.integer({ min: 1, max: 32 }), (bytes, max) => {
      const preview = hexPreview(bytes, max);
      if (bytes.length === 0) return assert.equal(preview, "(no bytes)");
      const shown = Math.min(bytes.length, max);
      assert.ok(preview.startsWith(bytes.subarray(0, shown).toHex() + " |"));
      assert.equal(preview.endsWith(` +${bytes.length - max} bytes`), bytes.length > max);
    }),
  );
});
