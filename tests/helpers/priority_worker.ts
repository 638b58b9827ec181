/**
 * A worker for the compute-priority test: it lowers its own thread's
 * priority as a compute thread does and posts what it did and the nice
 * value its thread then has.
 *
 * @module
 */

import { getPriority } from "node:os";
import { lowerThreadPriority } from "../../lib/task2/compute/compute_worker.ts";

const scope = globalThis as unknown as { postMessage(message: unknown): void };
const lowered = lowerThreadPriority();
scope.postMessage({ lowered, nice: getPriority(0) });
