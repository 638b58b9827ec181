import assert from "node:assert/strict";
import { clientMain } from "../../client.ts";
import { serverMain } from "../../server.ts";
import { UnknownFlagError } from "../../lib/cli/usage_error.ts";

const ID = "--studentID=20200000";

Deno.test("clientMain() says which role a flag of the other role belongs to", async () => {
  await assert.rejects(clientMain(["--host=127.0.0.1", "--port=1", ID, "--clients=4"]), {
    name: "UsageError",
    message: /^Unknown flag --clients: it is a flag of the Task 2 test client, picked by --submit/,
  });
  await assert.rejects(clientMain(["--port=1", ID, "--submit=False", "--keyword=abcd"]), {
    message: /^Unknown flag --keyword: it is a flag of the Task 1 decryption client/,
  });
});

Deno.test("serverMain() says which role a flag of the other role belongs to", async () => {
  await assert.rejects(serverMain(["--port=1", "--roster=ids.txt"]), {
    message: /^Unknown flag --roster: it is a flag of Task 1's grading server, picked by --task=1/,
  });
  await assert.rejects(serverMain(["--task=1", "--port=1", "--framing=pauses"]), {
    message: /^Unknown flag --framing: it is a flag of the Task 2 compute server/,
  });
});

Deno.test("clientMain() leaves a flag of neither role as a plain unknown flag", async () => {
  await assert.rejects(clientMain(["--host=127.0.0.1", "--port=1", ID, "--bogus=1"]), (error) => {
    assert.ok(error instanceof UnknownFlagError);
    assert.equal(error.message, "Unknown flag --bogus");
    return true;
  });
  await assert.rejects(clientMain(["--host=127.0.0.1", "--port=1", "--studentid=20200000"]), {
    message: "Unknown flag --studentid (did you mean --studentID?)",
  });
});
