/** Test helpers: byte streams that hand out given pieces, one per read. */

/**
 * A byte stream that delivers `pieces` in order, each as one chunk (a
 * copy, so the caller's arrays are never detached), then ends.
 */
export function byteStream(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  const queue = [...pieces];
  return new ReadableStream({
    type: "bytes",
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) {
        controller.close();
        controller.byobRequest?.respond(0); // completes a pending BYOB read with "done"
      } else controller.enqueue(next.slice());
    },
  });
}
