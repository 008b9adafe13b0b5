import type { FailureCategory } from '../assertions/types.js';

/**
 * How broken an output is, per failure category: higher means more broken. The optimizer uses it to
 * break ties between groups of equal size (fix the more broken one first).
 *
 * From least to most severe:
 * - provider_error: the call failed; says nothing about the prompt (excluded from prompt feedback).
 * - assertion_error: the eval itself threw; the blame is unclear, so the prompt is not the first suspect.
 * - latency_exceeded, cost_exceeded: the answer may be right, it was just slow or expensive.
 * - format_violation: the right content in the wrong shape (extra words, case, prefix).
 * - too_different: close to the reference, but not close enough.
 * - rubric_failed: a judge found it lacking.
 * - forbidden_content: it said something it must not.
 * - missing_content: required content is absent.
 * - wrong_answer: well-formed but wrong.
 * - schema_violation: JSON a consumer cannot use.
 * - invalid_json: not even parseable.
 *
 * Keyed by category (not an ordered list) so the compiler checks that every category has a rank.
 */
export const CATEGORY_SEVERITY: Readonly<Record<FailureCategory, number>> = {
  provider_error: 0,
  assertion_error: 1,
  latency_exceeded: 2,
  cost_exceeded: 3,
  format_violation: 4,
  too_different: 5,
  rubric_failed: 6,
  forbidden_content: 7,
  missing_content: 8,
  wrong_answer: 9,
  schema_violation: 10,
  invalid_json: 11,
};

/** Sort comparator: most severe first. */
export function bySeverityDesc(a: FailureCategory, b: FailureCategory): number {
  return CATEGORY_SEVERITY[b] - CATEGORY_SEVERITY[a];
}

/** The most severe of a non-empty list of categories. */
export function mostSevere(categories: readonly FailureCategory[]): FailureCategory {
  let best = categories[0]!;
  for (const c of categories) if (CATEGORY_SEVERITY[c] > CATEGORY_SEVERITY[best]) best = c;
  return best;
}
