/**
 * Pure descriptions of how a malformed soak client's connection ended: what
 * the server sent (Task 1 packets or Task 2 text) and how the connection
 * closed, as a short label to count and a detail to show.
 *
 * @module
 */

import { decodeHeader, HEADER_SIZE, isResultKeyword } from "@cs341/practice2/task1";

/** How a malformed client ended: a label to count, a detail to show once. */
export interface Outcome {
  label: string;
  detail: string;
}

/** How a connection ended, as seen by `SoakConn.drain`. */
export type End = "closed" | "reset" | "open" | "error";

/** Words for an {@linkcode End}. */
export function endLabel(end: End): string {
  switch (end) {
    case "closed":
      return "closed by server";
    case "reset":
      return "reset by server";
    case "open":
      return "still open when we left";
    case "error":
      return "read error";
  }
}

/**
 * What a grading server sent: its result packet (keyword and message), or
 * how many data packets came, or that the bytes are not packets at all.
 */
export function describeTask1Bytes(bytes: Uint8Array, end: End): Outcome {
  let offset = 0;
  let packets = 0;
  while (bytes.length - offset >= HEADER_SIZE) {
    let header;
    try {
      header = decodeHeader(bytes.subarray(offset));
    } catch (error) {
      return { label: `bytes that are not packets, ${endLabel(end)}`, detail: String(error) };
    }
    if (isResultKeyword(header.keyword)) {
      const data = bytes.subarray(offset + HEADER_SIZE, offset + header.length);
      const message = new TextDecoder().decode(data);
      return {
        label: `${header.keyword} packet, ${endLabel(end)}`,
        detail: `${header.keyword} ${header.sid}: ${message}`,
      };
    }
    packets++;
    offset += header.length;
  }
  if (packets > 0) {
    return { label: `data packets, ${endLabel(end)}`, detail: `${packets} data packets` };
  }
  if (bytes.length > 0) {
    return { label: `a partial packet, ${endLabel(end)}`, detail: `${bytes.length} bytes` };
  }
  return { label: endLabel(end), detail: "" };
}

/**
 * What a compute server sent after the handshake (or instead of it): an
 * `ERROR` reply, an answer, or nothing.
 */
export function describeTask2Text(text: string, end: End): Outcome {
  const what = text.length === 0
    ? ""
    : text.startsWith("ERROR")
    ? "ERROR reply, "
    : /^[0-9a-f]{32}$/.test(text)
    ? "UUID, "
    : "other bytes, ";
  return { label: `${what}${endLabel(end)}`, detail: text.slice(0, 200) };
}
