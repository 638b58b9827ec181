/**
 * The Task 2 score, as the course's test client gave it: per request type,
 * full points when every client's requests of that type succeeded, half
 * when at least one client's did. Fibonacci 10, factorial 10, word count 20.
 *
 * @module
 */

import type { RequestType } from "./test_requests.ts";

/**
 * One request's outcome, for scoring.
 *
 * @example
 * ```ts
 * import { type RequestOutcome, scoreOutcomes } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * // One client of four had its FACTORIAL requests answered right: half the points.
 * const outcome: RequestOutcome = { type: "FACTORIAL", ok: true };
 * const score = scoreOutcomes([[outcome, outcome], [], [], []]);
 * assert.equal(score.factorial.points, 5);
 * ```
 */
export interface RequestOutcome {
  /** The request type. */
  type: RequestType;
  /** Whether the reply was right. */
  ok: boolean;
}

/**
 * One type's share of the score.
 */
export interface TypeScore {
  /** Requests of this type answered right, over all clients. */
  okay: number;
  /** Points earned. */
  points: number;
  /** Points possible. */
  max: number;
}

/**
 * A whole run's score.
 *
 * @example
 * ```ts
 * import { scoreOutcomes, type Score } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const score: Score = scoreOutcomes([]);
 * assert.equal(score.max, 40);
 * ```
 */
export interface Score {
  /** FIBONACCI: 5 for one client, 10 for all. */
  fibonacci: TypeScore;
  /** FACTORIAL: 5 for one client, 10 for all. */
  factorial: TypeScore;
  /** WORD_COUNT: 10 for one client, 20 for all. */
  wordCount: TypeScore;
  /** The sum of the three. */
  total: number;
  /** 40. */
  max: number;
}

function scoreType(
  clients: readonly (readonly RequestOutcome[])[],
  type: RequestType,
  max: number,
): TypeScore {
  let okay = 0;
  let clientsOkay = 0;
  for (const outcomes of clients) {
    const ofType = outcomes.filter((outcome) => outcome.type === type);
    const good = ofType.filter((outcome) => outcome.ok).length;
    okay += good;
    if (ofType.length > 0 && good === ofType.length) clientsOkay++;
  }
  const points = clients.length > 0 && clientsOkay === clients.length
    ? max
    : clientsOkay > 0
    ? max / 2
    : 0;
  return { okay, points, max };
}

/**
 * Scores a run from each client's request outcomes.
 *
 * @example
 * ```ts
 * import { scoreOutcomes } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const good = [
 *   { type: "FIBONACCI", ok: true },
 *   { type: "FACTORIAL", ok: true },
 *   { type: "WORD_COUNT", ok: true },
 * ] as const;
 * const bad = [...good.slice(0, 2), { type: "WORD_COUNT", ok: false }] as const;
 * const score = scoreOutcomes([good, bad]);
 * assert.equal(score.fibonacci.points, 10);
 * assert.equal(score.wordCount.points, 10);
 * assert.equal(score.total, 30);
 * ```
 */
export function scoreOutcomes(clients: readonly (readonly RequestOutcome[])[]): Score {
  const fibonacci = scoreType(clients, "FIBONACCI", 10);
  const factorial = scoreType(clients, "FACTORIAL", 10);
  const wordCount = scoreType(clients, "WORD_COUNT", 20);
  return {
    fibonacci,
    factorial,
    wordCount,
    total: fibonacci.points + factorial.points + wordCount.points,
    max: 40,
  };
}

/**
 * The course's summary lines for a score.
 *
 * @example
 * ```ts
 * import { formatScore, scoreOutcomes } from "@cs341/practice2/task2";
 * import assert from "node:assert/strict";
 *
 * const all = [{ type: "FIBONACCI", ok: true }] as const;
 * assert.deepEqual(formatScore(scoreOutcomes([all])), [
 *   "Fib 1, Fact 0, Word 0",
 *   "-----",
 *   "Total points 10/40",
 *   "-----",
 * ]);
 * ```
 */
export function formatScore(score: Score): string[] {
  return [
    `Fib ${score.fibonacci.okay}, Fact ${score.factorial.okay}, Word ${score.wordCount.okay}`,
    "-----",
    `Total points ${score.total}/${score.max}`,
    "-----",
  ];
}
