/**
 * `SHA256SUMS` in the format `sha256sum` writes and `sha256sum -c` reads:
 * one `<64 hex digits><two spaces><file name>` line per file.
 *
 * @module
 */

/**
 * The SHA-256 of `bytes`, as 64 lowercase hex digits.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./sha256sums.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   await sha256Hex(new TextEncoder().encode("abc")),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** One file of a `SHA256SUMS` listing. */
export interface SumEntry {
  /** The file name, as written after the hash (no directory). */
  name: string;
  /** The SHA-256 of the file, 64 lowercase hex digits. */
  hex: string;
}

/**
 * Renders a `SHA256SUMS` file: entries sorted by name, each line
 * `<hex>  <name>`, and a final newline.
 *
 * @example
 * ```ts
 * import { formatSha256Sums } from "./sha256sums.ts";
 * import assert from "node:assert/strict";
 *
 * const a = "a".repeat(64);
 * const b = "b".repeat(64);
 * assert.equal(
 *   formatSha256Sums([{ name: "server", hex: b }, { name: "client", hex: a }]),
 *   `${a}  client\n${b}  server\n`,
 * );
 * assert.throws(() => formatSha256Sums([{ name: "x", hex: "zz" }]), RangeError);
 * ```
 */
export function formatSha256Sums(entries: readonly SumEntry[]): string {
  const sorted = [...entries].sort((x, y) => x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
  return sorted.map(({ name, hex }) => {
    if (!/^[0-9a-f]{64}$/.test(hex)) {
      throw new RangeError(`Not a SHA-256 hex digest for '${name}': '${hex}'`);
    }
    if (/[\\/\n]/.test(name)) {
      throw new RangeError(`A SHA256SUMS name is a bare file name, got '${name}'`);
    }
    return `${hex}  ${name}\n`;
  }).join("");
}

/**
 * Hashes the files `names` in directory `dir` and writes `dir/SHA256SUMS`.
 * Returns the text written.
 *
 * @example
 * ```ts
 * import { writeSha256Sums } from "./sha256sums.ts";
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * try {
 *   await Deno.writeTextFile(`${dir}/hello`, "abc");
 *   const text = await writeSha256Sums(dir, ["hello"]);
 *   assert.equal(text, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  hello\n");
 *   assert.equal(await Deno.readTextFile(`${dir}/SHA256SUMS`), text);
 * } finally {
 *   await Deno.remove(dir, { recursive: true });
 * }
 * ```
 */
export async function writeSha256Sums(dir: string, names: readonly string[]): Promise<string> {
  const entries: SumEntry[] = [];
  for (const name of names) {
    entries.push({ name, hex: await sha256Hex(await Deno.readFile(`${dir}/${name}`)) });
  }
  const text = formatSha256Sums(entries);
  await Deno.writeTextFile(`${dir}/SHA256SUMS`, text);
  return text;
}
