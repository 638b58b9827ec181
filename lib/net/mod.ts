/**
 * The network layer both tasks stand on: a TCP service with an orderly
 * shutdown, client connections with a time limit, exact and buffered reads,
 * complete writes, time limits, and safe display of what peers send. It
 * knows nothing of either task's protocol.
 *
 * @example
 * ```ts
 * import { connectTcp, serveTcp, writeAll } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * await using service = serveTcp({ hostname: "127.0.0.1" }, async (conn) => {
 *   await conn.readable.pipeTo(conn.writable);
 * }, { log: console.error });
 * using conn = await connectTcp("127.0.0.1", service.port, 1000);
 * await writeAll(conn, new TextEncoder().encode("ping"));
 * const reader = conn.readable.getReader({ mode: "byob" });
 * const { value } = await reader.read(new Uint8Array(4), { min: 4 });
 * assert.equal(new TextDecoder().decode(value), "ping");
 * reader.releaseLock();
 * ```
 *
 * @module
 */

export {
  type ByteReader,
  ByteSource,
  type ByteSourceSizes,
  type WaitResult,
} from "./byte_source.ts";
export { connectTcp, hostPort } from "./connect.ts";
export {
  diagnose,
  type Diagnosis,
  DiagnosisList,
  formatCauses,
  type Mistake,
  type Severity,
} from "./diagnosis.ts";
export { closeQuietly, Deadline, now, withTimeout } from "./deadline.ts";
export {
  ConnectionError,
  describeError,
  ProtocolError,
  TimeoutError,
  TruncatedError,
} from "./errors.ts";
export {
  type CloseOptions,
  type ConnectionHandler,
  formatAddress,
  type ListenOptions,
  serveTcp,
  type ServiceHooks,
  type TcpService,
} from "./listener.ts";
export { type BatchLogger, batchLogger, type Logger, type LogSink } from "./logger.ts";
export { hexPreview } from "./hex_preview.ts";
export { internetChecksum } from "./internet_checksum.ts";
export {
  CaptureConnection,
  type CaptureDirection,
  PCAP_SEGMENT_MAX,
  PcapCapture,
  type PcapCaptureOptions,
} from "./pcap.ts";
export { tapConnection, type TapSide } from "./pcap_tap.ts";
export { showBytes, showText } from "./peer_text.ts";
export { onShutdownSignal } from "./shutdown.ts";
export { type PartialWriter, writeAll } from "./write_all.ts";
export {
  type ErrorClasses,
  PendingCalls,
  type PendingCallsOptions,
  rebuildError,
  replyTo,
  type RpcReply,
  type SentError,
} from "./worker_rpc.ts";
export { ConnectionBudget, type SharedBudget } from "./connection_budget.ts";
