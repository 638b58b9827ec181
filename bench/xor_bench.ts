/**
 * `deno bench bench/xor_bench.ts`: the Task 1 XOR cipher over one packet's
 * data and over 1 MiB, against the textbook `data[i] ^ key[i % n]` loop,
 * with a plain copy as the floor no cipher can beat.
 *
 * @module
 */

import { xorCipher } from "../lib/task1/protocol/xor.ts";
import { randomBytes } from "./fixtures.ts";

const KEY = new TextEncoder().encode("tree");

/** The textbook loop. */
function textbookXor(data: Uint8Array, key: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ key[i % key.length]!;
  return out;
}

for (const size of [9_984, 1024 * 1024]) {
  const data = randomBytes(size);
  const scratch = new Uint8Array(size);
  const group = `xor ${size.toLocaleString("en-US")} bytes, key "tree"`;
  Deno.bench({
    name: "textbook loop (baseline)",
    group,
    baseline: true,
    fn: () => void textbookXor(data, KEY),
  });
  Deno.bench({ name: "xorCipher, new array", group, fn: () => void xorCipher(data, KEY) });
  Deno.bench({
    name: "xorCipher, into a buffer",
    group,
    fn: () => void xorCipher(data, KEY, scratch),
  });
  Deno.bench({ name: "copy only (floor)", group, fn: () => void data.slice() });
}
