/**
 * A capture-file writer for `--pcap=FILE`: it records the chunks a program
 * wrote and read on each TCP connection and renders them as a classic
 * libpcap file (LINKTYPE_RAW, synthetic IPv4 + TCP headers on 127.0.0.1,
 * a SYN handshake, consecutive sequence and acknowledgement numbers, a FIN
 * close) that Wireshark and tshark open and reassemble as TCP streams. TCP
 * checksums are zero (Wireshark does not verify them by default). The
 * recorded payload is capped; what goes over the cap is counted, not kept.
 *
 * @module
 */

import { internetChecksum } from "./internet_checksum.ts";

/** Which way a chunk went: from the connecting side or from the listener. */
export type CaptureDirection = "client-to-server" | "server-to-client";

/** Options of a {@linkcode PcapCapture}. */
export interface PcapCaptureOptions {
  /** Most payload bytes kept over all connections (default 64 MiB). */
  maxBytes?: number;
  /** Wall-clock time in microseconds since the epoch (for tests). */
  nowMicros?: () => number;
}

const LINKTYPE_RAW = 101;
const IP_HEADER = 20;
const TCP_HEADER = 20;
/** Largest payload put in one synthetic segment (IPv4 total length < 65536). */
export const PCAP_SEGMENT_MAX = 65_000;

const FIN = 0x01;
const SYN = 0x02;
const PSH = 0x08;
const ACK = 0x10;

interface PacketRecord {
  micros: number;
  bytes: Uint8Array;
}

function wallMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

/**
 * Collects the TCP exchanges of one run and renders them as a pcap file.
 *
 * @example
 * ```ts
 * import { PcapCapture } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const capture = new PcapCapture({ nowMicros: () => 1_000_000 });
 * const conn = capture.connection(40000, 5000);
 * conn.record("client-to-server", new TextEncoder().encode("hello"));
 * conn.record("server-to-client", new TextEncoder().encode("hi"));
 * conn.close();
 * const file = capture.toBytes();
 * assert.equal(new DataView(file.buffer).getUint32(0, true), 0xa1b2c3d4);
 * assert.equal(capture.recordedBytes, 7);
 * assert.equal(capture.droppedBytes, 0);
 * ```
 */
export class PcapCapture {
  readonly #packets: PacketRecord[] = [];
  readonly #maxBytes: number;
  readonly #now: () => number;
  #recorded = 0;
  #dropped = 0;
  #ipId = 0;
  #connections = 0;

  /** Starts an empty capture. */
  constructor(options: PcapCaptureOptions = {}) {
    this.#maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.#now = options.nowMicros ?? wallMicros;
  }

  /** Payload bytes kept so far. */
  get recordedBytes(): number {
    return this.#recorded;
  }

  /** Connections recorded so far. */
  get connections(): number {
    return this.#connections;
  }

  /** Payload bytes left out because the cap was reached. */
  get droppedBytes(): number {
    return this.#dropped;
  }

  /** Whether any payload was left out (say so in the run's log). */
  get truncated(): boolean {
    return this.#dropped > 0;
  }

  /**
   * Opens a recorded connection between two loopback ports and records its
   * three-way handshake.
   */
  connection(clientPort: number, serverPort: number): CaptureConnection {
    this.#connections++;
    return new CaptureConnection(this, clientPort, serverPort);
  }

  /** @internal Keeps up to the cap of `length` bytes; returns how many. */
  take(length: number): number {
    const room = Math.max(0, this.#maxBytes - this.#recorded);
    const kept = Math.min(room, length);
    this.#recorded += kept;
    this.#dropped += length - kept;
    return kept;
  }

  /** @internal Adds one synthetic IPv4 + TCP packet. */
  packet(
    srcPort: number,
    dstPort: number,
    seq: number,
    ack: number,
    flags: number,
    payload: Uint8Array,
  ): void {
    const bytes = new Uint8Array(IP_HEADER + TCP_HEADER + payload.length);
    const view = new DataView(bytes.buffer);
    view.setUint8(0, 0x45);
    view.setUint16(2, bytes.length);
    view.setUint16(4, this.#ipId++ & 0xffff);
    view.setUint16(6, 0x4000); // don't fragment
    view.setUint8(8, 64); // TTL
    view.setUint8(9, 6); // TCP
    bytes.set([127, 0, 0, 1], 12);
    bytes.set([127, 0, 0, 1], 16);
    view.setUint16(10, internetChecksum(bytes.subarray(0, IP_HEADER)));
    view.setUint16(20, srcPort);
    view.setUint16(22, dstPort);
    view.setUint32(24, seq >>> 0);
    view.setUint32(28, ack >>> 0);
    view.setUint8(32, (TCP_HEADER / 4) << 4);
    view.setUint8(33, flags);
    view.setUint16(34, 65535); // window
    bytes.set(payload, IP_HEADER + TCP_HEADER);
    this.#packets.push({ micros: this.#now(), bytes });
  }

  /** Renders the capture: a pcap global header, then one record per packet. */
  toBytes(): Uint8Array {
    let size = 24;
    for (const p of this.#packets) size += 16 + p.bytes.length;
    const out = new Uint8Array(size);
    const view = new DataView(out.buffer);
    view.setUint32(0, 0xa1b2c3d4, true);
    view.setUint16(4, 2, true);
    view.setUint16(6, 4, true);
    view.setUint32(16, 65535, true); // snaplen
    view.setUint32(20, LINKTYPE_RAW, true);
    let at = 24;
    for (const p of this.#packets) {
      view.setUint32(at, Math.floor(p.micros / 1e6), true);
      view.setUint32(at + 4, p.micros % 1e6, true);
      view.setUint32(at + 8, p.bytes.length, true);
      view.setUint32(at + 12, p.bytes.length, true);
      out.set(p.bytes, at + 16);
      at += 16 + p.bytes.length;
    }
    return out;
  }

  /** Writes the capture to `path` (the file `--pcap=FILE` names). */
  async writeFile(path: string): Promise<void> {
    await Deno.writeFile(path, this.toBytes());
  }
}

/**
 * One recorded TCP connection of a {@linkcode PcapCapture}: each chunk
 * becomes one or more segments with consecutive sequence numbers.
 *
 * @example
 * ```ts
 * import { PcapCapture } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const capture = new PcapCapture({ maxBytes: 3 });
 * const conn = capture.connection(40001, 5000);
 * conn.record("client-to-server", new Uint8Array(5));
 * conn.close();
 * assert.equal(capture.droppedBytes, 2);
 * assert.ok(capture.truncated);
 * ```
 */
export class CaptureConnection {
  readonly #capture: PcapCapture;
  readonly #clientPort: number;
  readonly #serverPort: number;
  #clientSeq: number;
  #serverSeq: number;
  #closed = false;

  /** @internal Use {@linkcode PcapCapture.connection}. */
  constructor(capture: PcapCapture, clientPort: number, serverPort: number) {
    this.#capture = capture;
    this.#clientPort = clientPort;
    this.#serverPort = serverPort;
    this.#clientSeq = 1000;
    this.#serverSeq = 5000;
    capture.packet(clientPort, serverPort, this.#clientSeq, 0, SYN, EMPTY);
    capture.packet(
      serverPort,
      clientPort,
      this.#serverSeq,
      this.#clientSeq + 1,
      SYN | ACK,
      EMPTY,
    );
    this.#clientSeq += 1;
    this.#serverSeq += 1;
    capture.packet(
      clientPort,
      serverPort,
      this.#clientSeq,
      this.#serverSeq,
      ACK,
      EMPTY,
    );
  }

  /** Records a chunk that went one way (kept up to the capture's cap). */
  record(direction: CaptureDirection, chunk: Uint8Array): void {
    if (this.#closed) return;
    const kept = this.#capture.take(chunk.length);
    for (let at = 0; at < kept; at += PCAP_SEGMENT_MAX) {
      const part = chunk.subarray(at, Math.min(kept, at + PCAP_SEGMENT_MAX));
      if (direction === "client-to-server") {
        this.#capture.packet(
          this.#clientPort,
          this.#serverPort,
          this.#clientSeq,
          this.#serverSeq,
          PSH | ACK,
          part,
        );
        this.#clientSeq = (this.#clientSeq + part.length) >>> 0;
      } else {
        this.#capture.packet(
          this.#serverPort,
          this.#clientPort,
          this.#serverSeq,
          this.#clientSeq,
          PSH | ACK,
          part,
        );
        this.#serverSeq = (this.#serverSeq + part.length) >>> 0;
      }
    }
  }

  /** Records the FIN exchange; later chunks are ignored. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const c = this.#capture;
    c.packet(
      this.#clientPort,
      this.#serverPort,
      this.#clientSeq,
      this.#serverSeq,
      FIN | ACK,
      EMPTY,
    );
    c.packet(
      this.#serverPort,
      this.#clientPort,
      this.#serverSeq,
      this.#clientSeq + 1,
      FIN | ACK,
      EMPTY,
    );
    c.packet(
      this.#clientPort,
      this.#serverPort,
      this.#clientSeq + 1,
      this.#serverSeq + 1,
      ACK,
      EMPTY,
    );
  }
}

const EMPTY = new Uint8Array(0);
