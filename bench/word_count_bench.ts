/**
 * `deno bench bench/word_count_bench.ts`: counting words in 1 MiB and
 * 16 MiB of random words, against what a JavaScript student would write
 * (decode to a string, split on whitespace), and streamed in 64 KiB chunks
 * as the server receives a FILE body.
 *
 * @module
 */

import { countWords, WordCounter } from "../lib/task2/compute/word_count.ts";
import { randomWords } from "./fixtures.ts";

const decoder = new TextDecoder();

function splitCount(bytes: Uint8Array): number {
  return decoder.decode(bytes).split(/[ \t\n\v\f\r]+/).filter((word) => word !== "").length;
}

for (const mib of [1, 16]) {
  const bytes = randomWords(mib * 1024 * 1024);
  const group = `word count ${mib} MiB`;
  Deno.bench({
    name: "decode + split (baseline)",
    group,
    baseline: true,
    fn: () => void splitCount(bytes),
  });
  Deno.bench({ name: "countWords", group, fn: () => void countWords(bytes) });
  Deno.bench({
    name: "WordCounter, 64 KiB chunks",
    group,
    fn: () => {
      const counter = new WordCounter();
      for (let i = 0; i < bytes.length; i += 65536) counter.push(bytes.subarray(i, i + 65536));
    },
  });
}
