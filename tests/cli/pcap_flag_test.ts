import assert from "node:assert/strict";
import { decryptClientMain } from "../../lib/cli/decrypt_client.ts";
import { withPcap } from "../../lib/cli/pcap_flag.ts";
import { serveGrading } from "../../lib/task1/grading/grading_server.ts";
import { pcapStreams } from "../helpers/pcap_reader.ts";

Deno.test("withPcap() writes the capture even when the run fails, and says so", async () => {
  const path = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    const notes: string[] = [];
    await assert.rejects(
      withPcap(path, (capture) => {
        capture!.connection(40000, 4000).record("client-to-server", new Uint8Array(3));
        return Promise.reject(new Error("the run failed"));
      }, (line) => notes.push(line)),
      { message: "the run failed" },
    );
    assert.equal(pcapStreams(await Deno.readFile(path)).get("40000>4000")?.length, 3);
    assert.deepEqual(notes, [`pcap: 1 connection, 3 payload bytes written to ${path}`]);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("withPcap() refuses a path it cannot write before anything runs", async () => {
  let ran = false;
  await assert.rejects(
    withPcap("/nonexistent/dir/run.pcap", () => Promise.resolve(ran = true)),
    { name: "UsageError", message: /^--pcap cannot write \/nonexistent\/dir\/run\.pcap: / },
  );
  assert.equal(ran, false);
});

Deno.test("decryptClientMain() --pcap writes the exchange and keeps the course's three lines", async () => {
  const path = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    await using server = serveGrading({ hostname: "127.0.0.1", plaintextSize: 100, log: () => {} });
    const lines: string[] = [];
    const args = [
      "--host=127.0.0.1",
      `--port=${server.port}`,
      "--studentID=20200000",
      "--keyword=test",
      `--pcap=${path}`,
    ];
    assert.equal(await decryptClientMain(args, (line) => lines.push(line)), 0);
    assert.match(lines.join("\n"), /^KEY: GOOD\nScore: 50\nMessage: /);
    const streams = pcapStreams(await Deno.readFile(path));
    const toServer = [...streams].find(([key]) => key.endsWith(`>${server.port}`))?.[1];
    assert.equal(toServer?.length, 16 + 16 + 100); // request header, one reply packet
  } finally {
    await Deno.remove(path);
  }
});
