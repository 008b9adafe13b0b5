/**
 * `optimizer.show_vars` and `optimizer.hide_vars` name case variables: each must be one some case
 * has (a typo would silently show or hide nothing), `expected` is not a variable (it is always
 * shown), and no name may be in both lists.
 */
import type { SpecIssue } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import type { IssueAt } from './issues.js';
import type { RawSpec } from './schema.js';
import { rootVariable } from '../template/template.js';
import type { Spec } from './types.js';

export function checkFeedbackVars(spec: Spec, raw: RawSpec, issueAt: IssueAt): SpecIssue[] {
  if (spec.cases.length === 0) return [];
  const known = new Set(spec.cases.flatMap((c) => Object.keys(c.vars)));
  const issues: SpecIssue[] = [];
  const lists = [
    ['show_vars', raw.optimizer?.show_vars ?? []],
    ['hide_vars', raw.optimizer?.hide_vars ?? []],
  ] as const;
  for (const [field, names] of lists) {
    names.forEach((name, index) => {
      const at = (message: string, hint: string) => issues.push(issueAt(['optimizer', field, index], message, { hint }));
      if (rootVariable(name) === 'expected') {
        at(`"${name}" is the expected value, not a case variable`, 'the expected value is always shown with a failing case; remove it here');
      } else if (!known.has(name) && !known.has(rootVariable(name))) {
        const suggestion = didYouMean(name, [...known]);
        at(
          `no case has a variable "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
          `cases have: ${[...known].slice(0, 10).join(', ') || 'no vars'}`,
        );
      }
    });
  }
  const shown = new Set(lists[0][1]);
  lists[1][1].forEach((name, index) => {
    if (shown.has(name)) {
      issues.push(issueAt(['optimizer', 'hide_vars', index], `"${name}" is in both show_vars and hide_vars`, { hint: 'keep it in one list' }));
    }
  });
  return issues;
}
