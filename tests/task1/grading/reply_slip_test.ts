import assert from "node:assert/strict";
import { serveGrading } from "../../../lib/task1/grading/grading_server.ts";
import { encodePacket } from "../../../lib/task1/protocol/packet.ts";
import { runPeer } from "../../helpers/task1_peer.ts";

const SID = 20200000;
const TIMEOUT = 200;
const DRAIN = 50;
const MATCH = "DECRYPTED DATA MATCH";
/** A reply packet rebuilt with some fields changed. */
const rebuilt = (p: Uint8Array, fields: Partial<Parameters<typeof encodePacket>[0]>) =>
  encodePacket({
    flag: p[1] as 0 | 1,
    keyword: String.fromCharCode(...p.subarray(4, 8)),
    sid: SID,
    data: p.subarray(16),
    ...fields,
  });

Deno.test("serveGrading() counts a missing flag 1 after the whole text as a header slip", async () => {
  await using server = serveGrading({ hostname: "127.0.0.1", drainMs: DRAIN, log: () => {} });
  const run = await runPeer(server.port, {
    keyword: "test",
    editReply: (p) => rebuilt(p, { flag: 0 }),
  });
  assert.equal(run.result?.sid, 40);
  assert.match(
    run.message,
    new RegExp(
      `^${MATCH}; REPLY HEADER ERROR \\(-10\\): Reply packet 3: no packet with flag 1 came after the whole text \\(Timed out after ${DRAIN} ms`,
    ),
  );
});

Deno.test("serveGrading() takes empty packets with flag 0 as slips and cuts off a stream of them", async () => {
  await using server = serveGrading({
    hostname: "127.0.0.1",
    timeoutMs: TIMEOUT,
    drainMs: DRAIN,
    log: () => {},
  });
  const empty = (p: Uint8Array) => rebuilt(p, { flag: 0, data: new Uint8Array() });
  const run = await runPeer(server.port, {
    keyword: "test",
    editReply: (p, i) => i === 2 ? new Uint8Array([...empty(p), ...p]) : p,
  });
  assert.equal(run.result?.sid, 40);
  assert.match(
    run.message,
    /REPLY HEADER ERROR \(-10\): Reply packet 2: no data, and flag 0 \(test run/,
  );
  const flood = await runPeer(server.port, {
    keyword: "test",
    editReply: (p, i) => i === 1 ? new Uint8Array(Array(20).fill([...empty(p)]).flat()) : p,
  });
  assert.equal(flood.result?.sid, 0);
  assert.match(
    flood.message,
    /Reply cut off after 16 empty packets with flag 0; REPLY HEADER ERROR/,
  );
});
