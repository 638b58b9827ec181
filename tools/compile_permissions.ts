/**
 * The permissions baked into the compiled `client` and `server`.
 *
 * Least privilege, flag by flag:
 *
 * - `--allow-net`, unscoped: the servers bind every interface on a port
 *   chosen at run time, and the clients connect to a `--host`/`--port`
 *   chosen at run time, so no host list can be fixed at build time.
 * - `--allow-read` and `--allow-write`, unscoped: both programs have a role
 *   that opens a SQLite score database (`node:sqlite`) at the path given by
 *   `--db`, and the grading server reads a `--roster` file. Those paths are
 *   run-time flags, and may lie anywhere; a scoped grant (say `.`, the
 *   current directory) would make `--db=/srv/scores.db` fail with a
 *   permission error. Deno has no grant for "the paths named on the command
 *   line", so unscoped read/write is the narrowest set that works for any
 *   `--db`. SQLite's `-wal`/`-shm` files sit beside the database, so they
 *   need the same grant.
 * - `--allow-sys=setPriority`, that one call only: on Linux the compute
 *   server's calculation threads lower their own priority (nice 10), so
 *   the thread answering small requests goes first while a big FACTORIAL
 *   runs. Without it they run at the usual priority.
 * - `--no-prompt`: a missing permission fails at once with an error instead
 *   of waiting on stdin for an answer (servers run unattended).
 * - Nothing else: no `--allow-env`, `--allow-run`, no other `--allow-sys`,
 *   `--allow-ffi` or `--allow-import`, and never `-A`. `--help` needs no
 *   permission at all.
 *
 * @module
 */

/**
 * The permission flags passed to `deno compile` for both programs.
 *
 * @example
 * ```ts
 * import { PERMISSION_FLAGS } from "./compile_permissions.ts";
 * import assert from "node:assert/strict";
 *
 * assert.ok(PERMISSION_FLAGS.includes("--allow-net"));
 * assert.ok(!PERMISSION_FLAGS.includes("-A"));
 * assert.ok(!PERMISSION_FLAGS.some((flag) => flag.startsWith("--allow-run")));
 * ```
 */
export const PERMISSION_FLAGS: readonly string[] = Object.freeze([
  "--no-prompt",
  "--allow-net",
  "--allow-read",
  "--allow-write",
  "--allow-sys=setPriority",
]);
