/**
 * The client program, two roles in one binary, as the course shipped them:
 *
 * - Task 1, the decryption client (default):
 *   `client --host=127.0.0.1 --port=4000 --studentID=20200000`
 * - Task 2, the course's test client for a compute server, chosen by
 *   `--submit` (which the course's command line always has) or `--task=2`:
 *   `client --port=1234 --studentID=20200000 --submit=False`
 *
 * @module
 */

// Each role's module is loaded only when that role runs.
import { runMain } from "./lib/cli/main.ts";
import { hintOtherRole, selectTask } from "./lib/cli/task_select.ts";

const decryptClient = () => import("./lib/cli/decrypt_client.ts");
const testClient = () => import("./lib/cli/test_client.ts");

/** Runs the client with command-line `args` and returns its exit code. */
export async function clientMain(args: readonly string[]): Promise<number> {
  const { task, rest } = selectTask(args, 1, ["--submit"]);
  return task === 1
    ? await hintOtherRole(async () => (await decryptClient()).decryptClientMain(rest), {
      command: async () => (await testClient()).TEST_CLIENT_COMMAND,
      role: "the Task 2 test client, picked by --submit (or --task=2)",
    })
    : await hintOtherRole(async () => (await testClient()).testClientMain(rest), {
      command: async () => (await decryptClient()).DECRYPT_CLIENT_COMMAND,
      role: "the Task 1 decryption client, picked by leaving out --submit (or --task=1)",
    });
}

if (import.meta.main) await runMain(() => clientMain(Deno.args));
