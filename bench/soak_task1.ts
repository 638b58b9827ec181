/**
 * The soak's well-formed Task 1 session: the library's decryption client
 * (`runDecryptClient`), keyword `test` or `sbmt`, replying per packet or
 * re-chunked, and a check that it scored 50/50 (and, for `sbmt`, was
 * registered).
 *
 * @module
 */

import { runDecryptClient } from "@cs341/practice2/task1";
import type { ErrorKind } from "./soak_report.ts";
import { SoakError } from "./soak_report.ts";

/** The kind of a failure thrown by `runDecryptClient`, by the error's name. */
export function decryptErrorKind(error: unknown): ErrorKind {
  if (error instanceof SoakError) return error.kind;
  const name = error instanceof Error ? error.name : "";
  switch (name) {
    case "TimeoutError":
      return "timeout";
    case "ConnectionError":
      return "connect";
    case "TruncatedError":
      return "closed";
    case "ProtocolError":
    case "HeaderError":
    case "ChecksumError":
      return "protocol";
    case "ConnectionReset":
    case "BrokenPipe":
      return "reset";
    default:
      return "io";
  }
}

/** Session `index`'s student id: 8 digits, distinct per index. */
export function sessionStudentId(index: number): number {
  return 30_000_000 + index;
}

/** Whether session `index` submits (`sbmt`): every `submitEvery`-th one. */
export function sessionSubmits(index: number, submitEvery: number): boolean {
  return submitEvery > 0 && index % submitEvery === submitEvery - 1;
}

/**
 * Runs session `index` against 127.0.0.1:`port`; throws a `SoakError` when
 * it fails or scores under 50.
 */
export async function runTask1Session(
  port: number,
  index: number,
  submit: boolean,
  timeoutMs: number,
): Promise<void> {
  const keyword = submit ? "sbmt" : "test";
  let result;
  try {
    result = await runDecryptClient({
      hostname: "127.0.0.1",
      port,
      studentId: sessionStudentId(index),
      keyword,
      timeoutMs,
      style: index % 2 === 0 ? "per-packet" : "rechunk",
    });
  } catch (error) {
    throw new SoakError(decryptErrorKind(error), `${keyword} #${index}: ${error}`, {
      cause: error,
    });
  }
  if (result.keyword !== "GOOD" || result.score !== 50) {
    throw new SoakError(
      "bad-score",
      `${keyword} #${index}: ${result.keyword} ${result.score}: ${result.message}`,
    );
  }
  if (submit && !/REGISTERED/.test(result.message)) {
    throw new SoakError("not-stored", `sbmt #${index}: ${result.message}`);
  }
}
