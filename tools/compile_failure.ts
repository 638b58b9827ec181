/**
 * Turns a failed `deno compile` into one sentence that says why and what to
 * do, for the failures that are about the machine rather than the code:
 * the `denort` runtime binary could not be downloaded, or `DENORT_BIN`
 * points at something unusable.
 *
 * @module
 */

/**
 * `deno compile` could not build a binary. The message is one sentence for
 * a user; `cause` keeps what `deno compile` printed.
 *
 * @example
 * ```ts
 * import { CompileError } from "./compile_failure.ts";
 * import assert from "node:assert/strict";
 *
 * const error = new CompileError("No runtime.", { cause: "stderr text" });
 * assert.equal(error.name, "CompileError");
 * assert.equal(error.cause, "stderr text");
 * ```
 */
export class CompileError extends Error {
  /** Builds the error; `options.cause` is kept as `error.cause`. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "CompileError";
  }
}

/**
 * Removes ANSI colour codes from terminal output.
 *
 * @example
 * ```ts
 * import { stripAnsi } from "./compile_failure.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(stripAnsi("\x1b[1m\x1b[31merror\x1b[0m: x"), "error: x");
 * ```
 */
export function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}

/**
 * Explains a `deno compile` failure for `target` from its stderr, or
 * returns `undefined` when it is not a runtime-binary problem (a type error,
 * say), in which case the stderr itself is the best explanation.
 *
 * @example
 * ```ts
 * import { explainCompileFailure } from "./compile_failure.ts";
 * import assert from "node:assert/strict";
 *
 * const stderr = "error: Writing deno compile executable to temporary file 'x'\n\n" +
 *   "Caused by:\n    0: Setting up base binary.\n" +
 *   "    1: error sending request for url (https://example.test/denort-x.zip): dns error\n";
 * assert.match(
 *   explainCompileFailure(stderr, "x86_64-unknown-linux-gnu") ?? "",
 *   /^deno compile could not download the denort runtime for x86_64-unknown-linux-gnu/,
 * );
 * assert.equal(explainCompileFailure("error: TS2322 [ERROR]: bad", "x86_64-apple-darwin"), undefined);
 * ```
 */
export function explainCompileFailure(stderr: string, target: string): string | undefined {
  const text = stripAnsi(stderr);
  const missing = /Could not find denort at '([^']*)'/.exec(text);
  if (missing) {
    return `DENORT_BIN is set to '${missing[1]}', which does not exist; ` +
      `point it at a denort binary for ${target} of this Deno version, or unset it so ` +
      "deno compile downloads one.";
  }
  const download = /error sending request for url \(([^)\s]*denort[^)\s]*)\)/.exec(text);
  if (download || /Setting up base binary/.test(text) && /denort/.test(text)) {
    const url = download ? ` from ${download[1]}` : "";
    return `deno compile could not download the denort runtime for ${target}${url} ` +
      "(this machine cannot reach Deno's download server), so build on a machine with " +
      `internet access, or set DENORT_BIN to a denort binary for ${target} of the same Deno ` +
      "version.";
  }
  if (/Writing binary bytes[\s\S]*Invalid object/.test(text)) {
    return `The runtime binary deno compile used (DENORT_BIN, if set) is not a denort binary ` +
      `for ${target}; set DENORT_BIN to the denort of that target, or unset it.`;
  }
  return undefined;
}
