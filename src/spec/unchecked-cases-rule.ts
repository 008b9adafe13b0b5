/**
 * Every case must be checked by some assertion: a case with none passes at 100% whatever the model
 * answers, so a spec with `expected` values and no assertion would report a perfect score (and
 * `optimize` "converged") having checked nothing. Refused, with the fix: an `equals` against
 * `{{expected}}` is the usual one, but it is the spec's choice to make (a label wants `equals`, a free
 * text `contains` or `llm-rubric`), never made silently.
 */
import type { SpecIssue } from '../errors.js';
import type { CaseIssueAt } from './assertion-sites.js';
import { originIssueAt } from './assertion-sites.js';
import type { IssueAt } from './issues.js';
import type { Spec } from './types.js';

/** The two lines to add for "compare each output with its expected value". */
export const EQUALS_EXPECTED_FIX = 'defaults:\n  assert: [{ type: equals, value: "{{expected}}" }]';

/** An assertion of weight 0 is reported only: it checks nothing. */
const counts = (assertion: { weight?: number }) => (assertion.weight ?? 1) > 0;

export function checkUncheckedCases(spec: Spec, issueAt: IssueAt, caseIssueAt?: CaseIssueAt): SpecIssue[] {
  if (spec.defaultAssert.some(counts) || spec.cases.length === 0) return [];
  const unchecked = spec.cases.filter((c) => !c.assert.some(counts));
  if (unchecked.length === 0) return [];
  const withExpected = spec.cases.some((c) => c.expected !== undefined);
  if (unchecked.length === spec.cases.length) {
    const message = withExpected
      ? 'no assertion checks the outputs: the cases have `expected` values, but nothing compares them, so every case would pass at 100%'
      : 'no assertion checks the outputs: every case would pass at 100%, whatever the model answers';
    const hint = withExpected
      ? `to compare each output with its expected value, add to the spec:\n${EQUALS_EXPECTED_FIX}`
      : 'add checks to the spec, e.g.:\ndefaults:\n  assert: [{ type: contains, value: "..." }]';
    return [issueAt(['cases'], message, { key: true, hint })];
  }
  const first = unchecked[0]!;
  const others = unchecked.length > 1 ? ` (and ${unchecked.length - 1} other case${unchecked.length > 2 ? 's' : ''})` : '';
  const at = caseIssueAt?.(first) ?? originIssueAt(first);
  return [
    at([], `case "${first.id}" ${first.assert.length === 0 && spec.defaultAssert.length === 0 ? 'has no assertion (no `assert` of its own, and no defaults.assert)' : 'has only assertions of weight 0 (reported only, they check nothing)'}: it would pass whatever the model answers${others}`, {
      hint: 'give it an `assert` list, or put the checks every case shares under defaults.assert',
    }),
  ];
}
