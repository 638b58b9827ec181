/**
 * `deno bench bench/checksum_bench.ts`: the Task 1 checksum over one full
 * packet and over 64 KiB, against a straightforward transliteration of the
 * course's Python checksum (little-endian pairs, folded after every add).
 *
 * @module
 */

import { internetChecksum, packetChecksum } from "../lib/task1/protocol/checksum.ts";
import { randomBytes } from "./fixtures.ts";

/** The course's checksum as students wrote it, one 16-bit word at a time. */
function courseStyleChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) {
    sum += bytes[i]! + ((bytes[i + 1] ?? 0) << 8);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return ~sum & 0xffff;
}

for (const size of [10_000, 64 * 1024]) {
  const bytes = randomBytes(size);
  const group = `checksum ${size.toLocaleString("en-US")} bytes`;
  Deno.bench({
    name: "course-style loop (baseline)",
    group,
    baseline: true,
    fn: () => void courseStyleChecksum(bytes),
  });
  Deno.bench({ name: "internetChecksum", group, fn: () => void internetChecksum(bytes) });
  Deno.bench({ name: "packetChecksum course", group, fn: () => void packetChecksum(bytes) });
}
