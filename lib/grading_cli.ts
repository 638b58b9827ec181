/** Placeholder until the Task 1 server lands. @module */
import { UsageError } from "./errors.ts";

/** Runs the program; returns its exit code. */
export function gradingServerMain(_args: readonly string[]): Promise<number> {
  return Promise.reject(new UsageError("Task 1 server is not built yet"));
}
