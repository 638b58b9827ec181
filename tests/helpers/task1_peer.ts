/**
 * A scriptable Task 1 client for tests: it can write one byte at a time,
 * corrupt its reply, or send arbitrary bytes, which the product client never
 * does.
 */

import { serveTcp, type TcpService } from "../../lib/net/listener.ts";
import { FrameReader } from "../../lib/task1/protocol/frame_reader.ts";
import { isResultKeyword } from "../../lib/task1/protocol/keyword.ts";
import { type DecodedPacket, encodePacket } from "../../lib/task1/protocol/packet.ts";
import { xorCipher } from "../../lib/task1/protocol/xor.ts";
import { writeAll, writeBytewise } from "./sockets.ts";

/** What the peer does differently from a correct client. */
export interface PeerScript {
  /** Bytes sent instead of the correct header. */
  header?: Uint8Array;
  /** Write every byte separately. */
  bytewise?: boolean;
  /** Flip the bits of this plaintext byte offset in the reply. */
  corruptAt?: number;
  /** Change each reply packet before it is sent. */
  editReply?: (packet: Uint8Array, index: number) => Uint8Array;
  /** Close the connection after this many replies. */
  closeAfterReplies?: number;
  /** Keyword of the header; default "sbmt". */
  keyword?: string;
  /** Student id; default 20200000. */
  sid?: number;
}

/** The result packet, and the data packets that came before it. */
export interface PeerRun {
  result: DecodedPacket | null;
  message: string;
  dataPackets: DecodedPacket[];
}

/** Runs one scripted exchange against a grading server on 127.0.0.1:`port`. */
export async function runPeer(port: number, script: PeerScript = {}): Promise<PeerRun> {
  using conn = await Deno.connect({ hostname: "127.0.0.1", port });
  conn.setNoDelay(true); // bytewise writes really go one byte per segment
  const send = (bytes: Uint8Array) =>
    script.bytewise ? writeBytewise(conn, bytes) : writeAll(conn, bytes);
  const reader = new FrameReader(conn.readable);
  const sid = script.sid ?? 20200000;
  const header = script.header ??
    encodePacket({ flag: 1, keyword: script.keyword ?? "sbmt", sid, data: new Uint8Array() });
  await send(header);
  const dataPackets: DecodedPacket[] = [];
  let offset = 0;
  for (;;) {
    const packet = await reader.readPacket();
    if (packet === null || isResultKeyword(packet.keyword)) {
      const message = new TextDecoder().decode(packet?.data);
      return { result: packet, message, dataPackets };
    }
    dataPackets.push(packet);
    if (script.closeAfterReplies === dataPackets.length - 1) {
      conn.close();
      return { result: null, message: "", dataPackets };
    }
    const plain = xorCipher(packet.data, packet.keyword);
    const at = (script.corruptAt ?? -1) - offset;
    if (at >= 0 && at < plain.length) plain[at]! ^= 0xff;
    offset += plain.length;
    let reply = encodePacket({ flag: packet.flag, keyword: packet.keyword, sid, data: plain });
    if (script.editReply) reply = script.editReply(reply, dataPackets.length);
    await send(reply);
  }
}

/**
 * A fake grading server for client tests: reads the client's header, then
 * runs `script` on the connection.
 */
export function fakeTask1Server(
  script: (conn: Deno.TcpConn, reader: FrameReader) => Promise<void>,
): TcpService {
  return serveTcp({ hostname: "127.0.0.1" }, async (conn) => {
    const reader = new FrameReader(conn.readable);
    await reader.readPacket(); // the client's header
    await script(conn, reader);
  }, { log: console.error });
}
