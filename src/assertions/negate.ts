/** `not-<type>`: the one place negation happens, for every assertion type. */
import { TEXT_SEARCH_TYPES, type AssertionType } from './names.js';
import type { AssertionOutcome } from './types.js';

/** Types whose negation forbids text in the output; other negations fail as format violations. */
const FORBIDS_CONTENT: ReadonlySet<AssertionType> = new Set<AssertionType>(TEXT_SEARCH_TYPES);

/**
 * Flips pass and score. An assertion that could not be evaluated (assertion_error, provider_error)
 * stays a failure: negating "could not check" is still "could not check".
 */
export function negateOutcome(base: AssertionType, outcome: AssertionOutcome): AssertionOutcome {
  if (outcome.category === 'assertion_error' || outcome.category === 'provider_error') return outcome;
  const score = 1 - outcome.score;
  const expected = outcome.expected === undefined ? undefined : `not: ${outcome.expected}`;
  const shown = { ...(expected === undefined ? {} : { expected }), ...(outcome.actual === undefined ? {} : { actual: outcome.actual }) };
  const judge = outcome.judgeCostUsd === undefined ? {} : { judgeCostUsd: outcome.judgeCostUsd };
  // Text checks keep their facts, marked negated: the needles found are now what must not be there.
  const details = outcome.details?.kind === 'text' ? { details: { ...outcome.details, negated: true } } : {};
  if (outcome.pass) {
    return {
      pass: false,
      score,
      reason: `${outcome.reason} but must not`,
      category: FORBIDS_CONTENT.has(base) ? 'forbidden_content' : 'format_violation',
      ...shown,
      ...judge,
      ...details,
    };
  }
  return { pass: true, score, reason: `not-${base}: ${outcome.reason}`, ...shown, ...judge };
}
