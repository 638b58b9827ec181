/** Placeholder until the Task 2 work lands. @module */
import { UsageError } from "./errors.ts";

/** Runs the program; returns its exit code. */
export function computeServerMain(_args: readonly string[]): Promise<number> {
  return Promise.reject(new UsageError("Task 2 is not built yet"));
}
