import assert from "node:assert/strict";
import { programCommand, startServer } from "./processes.ts";

Deno.test("startServer() reads the port from the first line and stops the server", async () => {
  await using server = await startServer(...programCommand("server.ts", "--port=0"));
  assert.ok(server.port > 0);
  using _conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
  const ended = await server.stop();
  assert.match(ended.stdout, new RegExp(`^Compute server listening on port ${server.port} `));
});

Deno.test("startServer() rejects with what a server printed when it does not start", async () => {
  await assert.rejects(
    startServer(...programCommand("server.ts", "--bogus")),
    /server\.ts --bogus did not start \(exited, or printed nothing for 30 s\):\nerror: Unknown flag --bogus/,
  );
});
