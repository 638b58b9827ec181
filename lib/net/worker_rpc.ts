/**
 * The one request/response helper for talking to a worker (or, from a
 * worker, to the main thread): {@linkcode PendingCalls} keeps the calls in
 * flight by id, settles a reply only for an id it sent, rejects every call
 * still pending when the other side dies, and rebuilds a sent error into its
 * class by name; {@linkcode replyTo} runs a request on the answering side and
 * packs its value or error into a {@linkcode RpcReply}. Messages stay the
 * callers' own: a call is posted by the caller's `post(id)`, so requests can
 * travel beside other messages (logs, events) on the same port.
 *
 * @module
 */

/** An error as it crosses a thread: structured clone keeps no class. */
export interface SentError {
  /** The error's `name`, used to find its class again. */
  name: string;
  /** The error's message. */
  message: string;
}

/** The reply to call `id`: its value, or the error it failed with. */
export type RpcReply<T = unknown> =
  | { id: number; ok: true; value: T }
  | { id: number; ok: false; error: SentError };

/** Error classes by name, to rebuild a {@linkcode SentError} into. */
export type ErrorClasses = Readonly<Record<string, new (message: string) => Error>>;

/**
 * Rebuilds `sent` into the class `classes` has under its name, or else an
 * `Error` carrying that name, so callers match it with `instanceof` (or,
 * for an unlisted class, still see its name).
 *
 * @example
 * ```ts
 * import { rebuildError } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * const known = rebuildError({ name: "RangeError", message: "n too big" }, { RangeError });
 * assert.ok(known instanceof RangeError);
 * assert.equal(known.message, "n too big");
 * const other = rebuildError({ name: "DbError", message: "locked" }, {});
 * assert.equal(other.name, "DbError");
 * ```
 */
export function rebuildError(sent: SentError, classes: ErrorClasses = {}): Error {
  const Class = Object.hasOwn(classes, sent.name) ? classes[sent.name] : undefined;
  if (Class !== undefined) return new Class(sent.message);
  const error = new Error(sent.message);
  error.name = sent.name;
  return error;
}

/** How a {@linkcode PendingCalls} turns a sent error back into an error. */
export interface PendingCallsOptions {
  /** Classes to rebuild errors into by name (see {@linkcode rebuildError}). */
  errors?: ErrorClasses;
  /** Replaces the rebuilding altogether (e.g. to wrap every error in one class). */
  rebuild?: (sent: SentError) => Error;
}

/**
 * Calls in flight to another thread, by id. `start` gives a call its id and
 * posts it; `settle` takes a reply, ignoring one whose id is not pending (a
 * stray or late reply); `rejectAll` fails every pending call, for when the
 * other side dies or errs; once it has, later calls fail at once.
 *
 * @example
 * ```ts
 * import { PendingCalls, replyTo, type RpcReply } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * // A fake worker: answers requests in the same thread.
 * const calls = new PendingCalls<number>({ errors: { RangeError } });
 * const square = (n: number) => {
 *   if (n < 0) throw new RangeError(`negative: ${n}`);
 *   return n * n;
 * };
 * const post = (id: number, n: number) =>
 *   replyTo(id, () => square(n)).then((reply) => calls.settle(reply as RpcReply<number>));
 *
 * assert.equal(await calls.start((id) => post(id, 7)), 49);
 * await assert.rejects(calls.start((id) => post(id, -1)), RangeError);
 * assert.equal(calls.settle({ id: 99, ok: true, value: 1 }), false); // not ours
 *
 * const never = calls.start(() => {});
 * calls.rejectAll(new Error("the worker died"));
 * await assert.rejects(never, { message: "the worker died" });
 * await assert.rejects(calls.start(() => {}), { message: "the worker died" });
 * ```
 */
export class PendingCalls<T = unknown> {
  readonly #pending = new Map<number, { resolve(value: T): void; reject(error: Error): void }>();
  readonly #rebuild: (sent: SentError) => Error;
  #nextId = 0;
  #broken: Error | undefined;

  /** No calls yet; `options` say how errors are rebuilt. */
  constructor(options: PendingCallsOptions = {}) {
    const { errors = {}, rebuild = (sent: SentError) => rebuildError(sent, errors) } = options;
    this.#rebuild = rebuild;
  }

  /** Calls still waiting for their reply. */
  get size(): number {
    return this.#pending.size;
  }

  /** The error every call fails with since {@linkcode PendingCalls.rejectAll}, if any. */
  get broken(): Error | undefined {
    return this.#broken;
  }

  /**
   * Starts a call: gives it a fresh id, runs `post(id)` to send it, and
   * resolves or rejects with its reply. A `post` that throws fails the call.
   */
  start(post: (id: number) => void): Promise<T> {
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      try {
        post(id);
      } catch (error) {
        this.#pending.delete(id);
        reject(error);
      }
    });
  }

  /** Settles the call `reply` answers; false when no such call is pending. */
  settle(reply: RpcReply<T>): boolean {
    const call = this.#pending.get(reply.id);
    if (call === undefined) return false;
    this.#pending.delete(reply.id);
    if (reply.ok) call.resolve(reply.value);
    else call.reject(this.#rebuild(reply.error));
    return true;
  }

  /** Rejects every pending call and every later one with `error`. */
  rejectAll(error: Error): void {
    this.#broken ??= error;
    const calls = [...this.#pending.values()];
    this.#pending.clear();
    for (const call of calls) call.reject(error);
  }
}

/**
 * Runs `handle` for call `id` and packs how it went into an
 * {@linkcode RpcReply}: its value, or its error's name and message
 * (`describe` gives the message; default `error.message`). Never rejects.
 *
 * @example
 * ```ts
 * import { replyTo } from "@cs341/practice2/net";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(await replyTo(3, () => 42), { id: 3, ok: true, value: 42 });
 * assert.deepEqual(await replyTo(4, () => { throw new RangeError("too big"); }), {
 *   id: 4, ok: false, error: { name: "RangeError", message: "too big" },
 * });
 * ```
 */
export async function replyTo<T>(
  id: number,
  handle: () => T | Promise<T>,
  describe: (error: unknown) => string = (error) =>
    error instanceof Error ? error.message : String(error),
): Promise<RpcReply<T>> {
  try {
    return { id, ok: true, value: await handle() };
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    return { id, ok: false, error: { name, message: describe(error) } };
  }
}
