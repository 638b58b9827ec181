/**
 * The platforms `deno task compile` builds for, and the file name of each
 * program on each of them.
 *
 * @module
 */

import { UsageError } from "../lib/cli/usage_error.ts";

/** Every target `deno compile --target` is asked for, in build order. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/** One of {@linkcode TARGETS}. */
export type Target = typeof TARGETS[number];

/** The two programs compiled for each target. */
export const PROGRAMS = ["client", "server"] as const;

/** One of {@linkcode PROGRAMS}. */
export type Program = typeof PROGRAMS[number];

/**
 * Tells whether `value` names a supported target.
 *
 * @example
 * ```ts
 * import { isTarget } from "./compile_targets.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isTarget("aarch64-apple-darwin"), true);
 * assert.equal(isTarget("x86_64-unknown-linux-musl"), false);
 * ```
 */
export function isTarget(value: string): value is Target {
  return (TARGETS as readonly string[]).includes(value);
}

/**
 * The file name of `program` built for `target`: the program, a dash, the
 * target, and `.exe` on Windows.
 *
 * @example
 * ```ts
 * import { binaryName } from "./compile_targets.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(binaryName("client", "x86_64-unknown-linux-gnu"), "client-x86_64-unknown-linux-gnu");
 * assert.equal(binaryName("server", "x86_64-pc-windows-msvc"), "server-x86_64-pc-windows-msvc.exe");
 * ```
 */
export function binaryName(program: Program, target: Target): string {
  const suffix = target.includes("-windows-") ? ".exe" : "";
  return `${program}-${target}${suffix}`;
}

/**
 * The target of the machine running this code, as `deno compile` names it.
 * Throws {@linkcode UsageError} on a machine no target covers.
 *
 * @example
 * ```ts
 * import { hostTarget } from "./compile_targets.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(hostTarget("aarch64-apple-darwin"), "aarch64-apple-darwin");
 * assert.throws(() => hostTarget("riscv64gc-unknown-linux-gnu"), { name: "UsageError" });
 * ```
 */
export function hostTarget(buildTarget: string = Deno.build.target): Target {
  if (isTarget(buildTarget)) return buildTarget;
  throw new UsageError(
    `This machine (${buildTarget}) is none of the targets ${TARGETS.join(", ")}; ` +
      "pick one with --target",
  );
}

/**
 * Reads the targets asked for: each `--target` value may be a comma list,
 * and the flag may be repeated. Duplicates are dropped, the order kept.
 * With no value at all, every target.
 *
 * @example
 * ```ts
 * import { parseTargets, TARGETS } from "./compile_targets.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parseTargets([]), [...TARGETS]);
 * assert.deepEqual(
 *   parseTargets(["x86_64-apple-darwin,aarch64-apple-darwin", "x86_64-apple-darwin"]),
 *   ["x86_64-apple-darwin", "aarch64-apple-darwin"],
 * );
 * assert.throws(() => parseTargets(["x86_64-linux"]), { name: "UsageError" });
 * ```
 */
export function parseTargets(values: readonly string[]): Target[] {
  if (values.length === 0) return [...TARGETS];
  const targets: Target[] = [];
  for (const value of values.flatMap((value) => value.split(","))) {
    const name = value.trim();
    if (!isTarget(name)) {
      throw new UsageError(
        `Unknown target '${name}'; choose from ${TARGETS.join(", ")}`,
      );
    }
    if (!targets.includes(name)) targets.push(name);
  }
  return targets;
}
