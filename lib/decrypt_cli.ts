/** Placeholder until the Task 1 client lands. @module */
import { UsageError } from "./errors.ts";

/** Runs the program; returns its exit code. */
export function decryptClientMain(_args: readonly string[]): Promise<number> {
  return Promise.reject(new UsageError("Task 1 client is not built yet"));
}
