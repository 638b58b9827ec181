/**
 * `deno bench --allow-read bench/micro_bench.ts`: the library's hot
 * functions, each group against a baseline run beside it (what a student
 * would write, or the floor no implementation can beat), from one table.
 * bench/README.md lists the groups.
 *
 * @module
 */

import { internetChecksum, packetChecksum } from "../lib/task1/protocol/checksum.ts";
import { decodeHeader, encodeHeader, type Header } from "../lib/task1/protocol/header.ts";
import { xorCipher } from "../lib/task1/protocol/xor.ts";
import {
  factorial,
  FACTORIAL_LIMIT,
  fibonacci,
  FIBONACCI_LIMIT,
} from "../lib/task2/compute/compute.ts";
import { countWords, WordCounter } from "../lib/task2/compute/word_count.ts";
import { ComputePool } from "../lib/task2/compute/compute_pool.ts";
import {
  bitLength,
  halfDigits,
  prepareSplit,
  splitDecimal,
  toDecimal,
} from "../lib/task2/compute/decimal.ts";
import {
  factorialInOrder,
  fibonacciByAdding,
  fibonacciUnlimited,
  randomBytes,
  randomWords,
} from "./fixtures.ts";

/** One entry of a group: the first of each group is its baseline unless it says otherwise. */
type Entry = [name: string, fn: () => unknown, options?: Partial<Deno.BenchDefinition>];

const sized = (n: number) => n.toLocaleString("en-US");
const groups: [group: string, entries: Entry[]][] = [];

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
  groups.push([`checksum ${sized(size)} bytes`, [
    ["course-style loop (baseline)", () => courseStyleChecksum(bytes)],
    ["internetChecksum", () => internetChecksum(bytes)],
    ["packetChecksum course", () => packetChecksum(bytes)],
  ]]);
}

const KEY = new TextEncoder().encode("tree");
for (const size of [9_984, 1024 * 1024]) {
  const data = randomBytes(size);
  const scratch = new Uint8Array(size);
  groups.push([`xor ${sized(size)} bytes, key "tree"`, [
    ["textbook loop (baseline)", () => {
      const out = new Uint8Array(data.length);
      for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ KEY[i % KEY.length]!;
      return out;
    }],
    ["xorCipher, new array", () => xorCipher(data, KEY)],
    ["xorCipher, into a buffer", () => xorCipher(data, KEY, scratch)],
    ["copy only (floor)", () => data.slice()],
  ]]);
}

const HEADER: Header = { flag: 1, checksum: 0xa3e3, keyword: "sbmt", sid: 20200000, length: 16 };
const HEADER_BYTES = encodeHeader(HEADER);
const target = new Uint8Array(16);
const view = new DataView(target.buffer);
groups.push(["header encode", [
  ["unchecked DataView (baseline)", () => {
    view.setUint16(0, HEADER.flag);
    view.setUint16(2, HEADER.checksum);
    for (let i = 0; i < 4; i++) view.setUint8(4 + i, HEADER.keyword.charCodeAt(i));
    view.setUint32(8, HEADER.sid);
    view.setUint32(12, HEADER.length);
  }],
  ["encodeHeader into a buffer", () => encodeHeader(HEADER, target)],
  ["encodeHeader, new array", () => encodeHeader(HEADER)],
]]);
const read = new DataView(HEADER_BYTES.buffer, HEADER_BYTES.byteOffset, 16);
groups.push(["header decode", [
  ["unchecked DataView (baseline)", () => ({
    flag: read.getUint16(0),
    checksum: read.getUint16(2),
    keyword: String.fromCharCode(...HEADER_BYTES.subarray(4, 8)),
    sid: read.getUint32(8),
    length: read.getUint32(12),
  })],
  ["decodeHeader", () => decodeHeader(HEADER_BYTES)],
]]);

for (const n of [10_000, 100_000]) {
  groups.push([`fibonacci ${sized(n)}`, [
    ["n additions (baseline)", () => fibonacciByAdding(n), { n: 20 }],
    ["fibonacci (fast doubling)", () => fibonacci(n)],
  ]]);
}
groups.push([
  "fibonacci beyond 100,000",
  [1_000_000, 10_000_000].map((n) => [
    `fibonacci ${sized(n)}`,
    () => fibonacci(n),
    { ignore: n > FIBONACCI_LIMIT, n: 5, baseline: false },
  ]),
]);
for (const n of [1_000, 10_000]) {
  groups.push([`factorial ${sized(n)}`, [
    ["multiply 2..n in order (baseline)", () => factorialInOrder(n)],
    ["factorial (product tree)", () => factorial(n)],
  ]]);
}
groups.push([
  "factorial beyond 10,000",
  [100_000, 1_000_000].map((n) => [
    `factorial ${sized(n)}`,
    () => factorial(n),
    { ignore: n > FACTORIAL_LIMIT, n: 3, baseline: false },
  ]),
]);

for (
  const [label, value, n] of [
    ["F(10^5)", fibonacci(100_000), 200],
    ["10^4!", factorial(10_000), 200],
    ["F(10^6)", fibonacciUnlimited(1_000_000), 20],
    ["F(10^7)", fibonacciUnlimited(10_000_000), 3],
  ] as const
) {
  groups.push([`decimal ${label}, ${sized(value.toString().length)} digits`, [
    ["BigInt toString() (baseline)", () => value.toString(), { n, warmup: 1 }],
    ["toString(16) (floor)", () => value.toString(16), { n, warmup: 1 }],
  ]]);
}

const decoder = new TextDecoder();
for (const mib of [1, 16]) {
  const bytes = randomWords(mib * 1024 * 1024);
  groups.push([`word count ${mib} MiB`, [
    [
      "decode + split (baseline)",
      () => decoder.decode(bytes).split(/[ \t\n\v\f\r]+/).filter((word) => word !== "").length,
    ],
    ["countWords", () => countWords(bytes)],
    ["WordCounter, 64 KiB chunks", () => {
      const counter = new WordCounter();
      for (let i = 0; i < bytes.length; i += 65536) counter.push(bytes.subarray(i, i + 65536));
    }],
  ]]);
}

const BIG = { n: 4, warmup: 1 };
const x = fibonacci(10_000_000);
const e = halfDigits(bitLength(x));
const power = 10n ** BigInt(e);
const low = x % power;
groups.push(["decimal, low half of F(10^7), 3.5 Mbit", [
  ["toString (baseline)", () => low.toString(), BIG],
  ...[1 << 20, 1 << 18].map((bits): Entry => [
    `toDecimal, threshold 2^${Math.log2(bits)} bits`,
    () => toDecimal(low, e, bits),
    BIG,
  ]),
]]);
groups.push(["split F(10^7) at 10^e", [
  ["BigInt / and * (baseline)", () => x - (x / power) * power, BIG],
  ["Barrett (prepared)", () => (prepareSplit(e), splitDecimal(x, e)), BIG],
]]);
const pool = new ComputePool({ size: 2 });
globalThis.addEventListener("unload", () => void pool.close());
for (const [kind, n] of [["fibonacci", 10_000_000], ["factorial", 1_000_000]] as const) {
  groups.push([`${kind}(${sized(n)}) as text`, [
    [
      "one thread, toString (baseline)",
      () => (kind === "fibonacci" ? fibonacci(n) : factorial(n)).toString(),
      BIG,
    ],
    ["pool of 2", async () => await pool.run({ kind, n }), BIG],
  ]]);
}

for (const [group, entries] of groups) {
  for (const [i, [name, fn, options]] of entries.entries()) {
    // Deno.bench awaits an async function (the pool's entries); sync values are dropped.
    Deno.bench({ name, group, baseline: i === 0, ...options, fn: fn as () => void });
  }
}
