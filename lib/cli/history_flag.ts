/**
 * `--keep-attempts=N` for the roles that record attempts in `--db` (the
 * grading server and the Task 2 test client).
 *
 * @module
 */

import { type Flag, flag } from "./flags.ts";

/** The `--keep-attempts=N` flag: the attempt history kept per student and task, the same in every role. */
export const KEEP_ATTEMPTS_FLAG: Flag<number | undefined> = flag.integer({
  description: "Attempt history kept per student and task in --db (older ones pruned)",
  min: 1,
  max: 1_000_000,
  defaultText: "all",
});
