import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { PcapCapture } from "../../lib/net/pcap.ts";
import { encodePacket } from "../../lib/task1/protocol/packet.ts";
import { runDecryptClient } from "../../lib/task1/client/decrypt_client.ts";
import { serveGrading } from "../../lib/task1/grading/grading_server.ts";
import { serveCompute } from "../../lib/task2/server/compute_server.ts";
import { runTestClient } from "../../lib/task2/client/test_client.ts";

const DISSECTOR = fileURLToPath(new URL("../../tools/wireshark/cs341.lua", import.meta.url));
const encoder = new TextEncoder();

/** Whether tshark runs here (the Debian package `tshark`; `.ci/run` installs it). */
const tshark = await new Deno.Command("tshark", {
  args: ["--version"],
  stdout: "null",
  stderr: "null",
})
  .output()
  .then((out) => out.success, () => false);
const ignored = tshark ? "" : " (ignored: tshark is not installed; apt-get install tshark)";

/** Runs tshark with the dissector over `capture` and returns one row of `fields` per frame with any. */
async function decode(
  capture: PcapCapture,
  ports: { task1?: number; task2?: number },
  fields: string[],
): Promise<string[][]> {
  const path = await Deno.makeTempFile({ suffix: ".pcap" });
  try {
    await capture.writeFile(path);
    const args = ["-X", `lua_script:${DISSECTOR}`, "-r", path, "-T", "fields", "-E", "separator=|"];
    if (ports.task1 !== undefined) args.push("-o", `cs341t1.tcp_port:${ports.task1}`);
    if (ports.task2 !== undefined) args.push("-o", `cs341t2.tcp_port:${ports.task2}`);
    for (const field of fields) args.push("-e", field);
    const out = await new Deno.Command("tshark", { args, stdout: "piped", stderr: "piped" })
      .output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.ok(out.success, stderr);
    assert.doesNotMatch(stderr, /Lua: Error|error/i);
    return new TextDecoder().decode(out.stdout).trimEnd().split("\n")
      .map((line) => line.split("|"))
      .filter((row) => row.some((cell) => cell !== ""));
  } finally {
    await Deno.remove(path);
  }
}

const T1_FIELDS = [
  "cs341t1.flag",
  "cs341t1.keyword",
  "cs341t1.sid",
  "cs341t1.length",
  "cs341t1.checksum.status",
  "cs341t1.checksum.expected",
  "cs341t1.text",
];

Deno.test({
  name: `cs341.lua decodes Task 1 fields, reassembles split packets and rates checksums${ignored}`,
  ignore: !tshark,
  fn: async () => {
    const capture = new PcapCapture({ nowMicros: () => 1_000_000 });
    const conn = capture.connection(40000, 4000);
    const header = encodePacket({
      flag: 1,
      keyword: "sbmt",
      sid: 20200000,
      data: new Uint8Array(),
    });
    conn.record("client-to-server", header.subarray(0, 5)); // a header split over two segments
    conn.record("client-to-server", header.subarray(5));
    const data = encoder.encode("hello, world");
    const rfc = encodePacket({ flag: 0, keyword: "abcd", sid: 20200000, data }, "rfc1071");
    const bad = encodePacket({ flag: 1, keyword: "abcd", sid: 20200000, data });
    bad[20] = bad[20]! ^ 0x01; // one flipped data bit: "hello" arrives as "helln"
    // What the checksum of the bytes that arrived would be.
    const arrived = encodePacket({ flag: 1, keyword: "abcd", sid: 20200000, data: bad.slice(16) });
    const expected = new DataView(arrived.buffer).getUint16(2);
    conn.record("server-to-client", new Uint8Array([...rfc, ...bad])); // two packets in one segment
    conn.close();
    const rows = await decode(capture, { task1: 4000 }, T1_FIELDS);
    assert.deepEqual(rows, [
      ["1", "sbmt", "20200000", "16", "good (course byte order)", "", ""],
      [
        "0,1",
        "abcd,abcd",
        "20200000,20200000",
        "28,28",
        "good (RFC 1071 byte order),bad",
        `0x${expected.toString(16).padStart(4, "0")}`,
        "hello, world,helln, world",
      ],
    ]);
  },
});

Deno.test({
  name: `cs341.lua decodes a real grading session captured with a capture${ignored}`,
  ignore: !tshark,
  fn: async () => {
    const capture = new PcapCapture();
    await using server = serveGrading({
      hostname: "127.0.0.1",
      plaintextSize: 12_000,
      log: () => {},
    });
    const result = await runDecryptClient({
      hostname: "127.0.0.1",
      port: server.port,
      studentId: 20200000,
      keyword: "test",
      capture,
    });
    assert.equal(result.score, 50);
    const rows = await decode(capture, { task1: server.port }, T1_FIELDS.slice(0, 5));
    const packets = rows.flatMap((row) =>
      row[0]!.split(",").map((flag, i) => ({
        flag,
        keyword: row[1]!.split(",")[i],
        status: row[4]!.split(",")[i],
      }))
    );
    // The header, 2 encrypted packets, 2 reply packets, the result.
    assert.equal(packets.length, 6);
    assert.ok(packets.every((p) => p.status?.startsWith("good")), JSON.stringify(packets));
    assert.deepEqual(packets[0], {
      flag: "1",
      keyword: "test",
      status: "good (course byte order)",
    });
    assert.deepEqual(packets.at(-1), {
      flag: "1",
      keyword: "GOOD",
      status: "good (course byte order)",
    });
  },
});

Deno.test({
  name: `cs341.lua shows Task 2 messages with their kind${ignored}`,
  ignore: !tshark,
  fn: async () => {
    const capture = new PcapCapture({ nowMicros: () => 2_000_000 });
    const conn = capture.connection(40001, 1234);
    const uuid = "f97e575c28d536b49170f3cbaef757af";
    conn.record("client-to-server", encoder.encode("Client1"));
    conn.record("server-to-client", encoder.encode(uuid));
    conn.record("client-to-server", encoder.encode("FIBONACCI"));
    conn.record("client-to-server", encoder.encode("7"));
    conn.record("server-to-client", encoder.encode(`13_${uuid}`));
    conn.record("client-to-server", encoder.encode("COMPLETE"));
    conn.close();
    const rows = await decode(capture, { task2: 1234 }, [
      "cs341t2.direction",
      "cs341t2.kind",
      "cs341t2.keyword",
      "cs341t2.number",
      "cs341t2.answer",
      "cs341t2.uuid",
    ]);
    assert.deepEqual(rows, [
      ["client -> server", "name or FILE body", "", "", "", ""],
      ["server -> client", "UUID", "", "", "", uuid],
      ["client -> server", "request keyword", "FIBONACCI", "", "", ""],
      ["client -> server", "number (n or FILE length)", "", "7", "", ""],
      ["server -> client", "answer_uuid", "", "", "13", uuid],
      ["client -> server", "request keyword", "COMPLETE", "", "", ""],
    ]);
  },
});

Deno.test({
  name: `cs341.lua recognises both protocols on any port, with no preference set${ignored}`,
  ignore: !tshark,
  fn: async () => {
    const capture = new PcapCapture();
    await using server = serveCompute({ hostname: "127.0.0.1", log: () => {}, capture });
    const report = await runTestClient({
      hostname: "127.0.0.1",
      port: server.port,
      pauseMs: 10,
      log: () => {},
    });
    assert.equal(report.score.total, 40);
    await server.close({ force: false });
    const task1 = capture.connection(40001, 40123);
    task1.record(
      "client-to-server",
      encodePacket({ flag: 1, keyword: "sbmt", sid: 20200000, data: new Uint8Array() }),
    );
    task1.close();
    const rows = await decode(capture, {}, [
      "cs341t2.direction",
      "cs341t2.kind",
      "cs341t1.keyword",
    ]);
    const kinds = new Set(rows.map((row) => row.join("|")));
    for (
      const expected of [
        "client -> server|name or FILE body|",
        "server -> client|UUID|",
        "client -> server|request keyword|",
        "server -> client|answer_uuid|",
        "||sbmt",
      ]
    ) {
      assert.ok(kinds.has(expected), `${expected} not among ${[...kinds].join("; ")}`);
    }
    // Every Task 2 message of the 4 clients was decoded: name, UUID, 6 x (keyword,
    // number or length (and body), answer), COMPLETE.
    assert.ok(
      rows.filter((row) => row[0] !== "").length >= 4 * (2 + 6 * 3 + 1),
      String(rows.length),
    );
  },
});
