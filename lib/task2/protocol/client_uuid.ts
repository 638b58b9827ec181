/**
 * The UUID a Task 2 server gives each client: `uuid3(NAMESPACE_DNS, name)`,
 * as Python's `uuid.uuid3(uuid.NAMESPACE_DNS, name).hex` writes it.
 *
 * @module
 */

import { md5 } from "./md5.ts";

/** RFC 4122's namespace for domain names, `6ba7b810-9dad-11d1-80b4-00c04fd430c8`, as bytes. */
const NAMESPACE_DNS = new Uint8Array([
  0x6b,
  0xa7,
  0xb8,
  0x10,
  0x9d,
  0xad,
  0x11,
  0xd1,
  0x80,
  0xb4,
  0x00,
  0xc0,
  0x4f,
  0xd4,
  0x30,
  0xc8,
]);

/**
 * `uuid3(NAMESPACE_DNS, name)` as 32 lowercase hex digits without dashes.
 * A string `name` is encoded as UTF-8 first.
 *
 * @example
 * ```ts
 * import { clientUuid } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(clientUuid("Client1"), "f97e575c28d536b49170f3cbaef757af");
 * assert.equal(
 *   clientUuid(new TextEncoder().encode("Client3")),
 *   "5d6dc07b61f93ad9b00e829ee52e6b92",
 * );
 * ```
 */
export function clientUuid(name: string | Uint8Array): string {
  const bytes = typeof name === "string" ? new TextEncoder().encode(name) : name;
  const input = new Uint8Array(NAMESPACE_DNS.length + bytes.length);
  input.set(NAMESPACE_DNS);
  input.set(bytes, NAMESPACE_DNS.length);
  // RFC 4122 section 4.3: the MD5 of namespace and name, with the version
  // (3) in the high nibble of byte 6 and the variant (10xx) in byte 8.
  const hash = md5(input);
  hash[6] = (hash[6]! & 0x0f) | 0x30;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  let hex = "";
  for (const byte of hash) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/**
 * Whether `text` is a UUID in either form a server may send: 32 hex digits,
 * or the dashed 8-4-4-4-12 form. Letters may be in either case.
 *
 * @example
 * ```ts
 * import { isUuidText } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.ok(isUuidText("f97e575c28d536b49170f3cbaef757af"));
 * assert.ok(isUuidText("123e4567-e89b-12d3-a456-426614174000"));
 * assert.ok(!isUuidText("f97e575c"));
 * ```
 */
export function isUuidText(text: string): boolean {
  return /^(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i
    .test(text);
}

/**
 * The 32 lowercase hex digits of a UUID in either form, for comparing a
 * dashed UUID with an undashed one.
 *
 * @example
 * ```ts
 * import { uuidDigits } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   uuidDigits("F97E575C-28D5-36B4-9170-F3CBAEF757AF"),
 *   "f97e575c28d536b49170f3cbaef757af",
 * );
 * ```
 */
export function uuidDigits(text: string): string {
  return text.replaceAll("-", "").toLowerCase();
}
