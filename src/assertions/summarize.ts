/** Folding a sample's assertion results into what a case result stores. */
import type { CaseFailure } from '../runner/types.js';
import type { AssertionResult } from './types.js';

/** The failed assertions, in the shape the runner and feedback stages keep. */
export function caseFailuresFrom(results: AssertionResult[]): CaseFailure[] {
  return results
    .filter((r) => !r.pass)
    .map((r) => ({
      type: r.type,
      category: r.category ?? 'wrong_answer',
      reason: r.reason,
      score: r.score,
      ...(r.metric === undefined ? {} : { metric: r.metric }),
      ...(r.expected === undefined ? {} : { expected: r.expected }),
      ...(r.actual === undefined ? {} : { actual: r.actual }),
      ...(r.details === undefined ? {} : { details: r.details }),
    }));
}

/** Mean assertion score; 1 when there are no assertions. */
export function scoreOf(results: AssertionResult[]): number {
  if (results.length === 0) return 1;
  return results.reduce((sum, r) => sum + r.score, 0) / results.length;
}

/** True when every assertion passed (and for an empty list). */
export function passOf(results: AssertionResult[]): boolean {
  return results.every((r) => r.pass);
}
