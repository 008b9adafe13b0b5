/** Picking the cases of one split, and refusing to run on a split that came out empty. */
import { SpecError, type SpecIssue } from '../errors.js';
import { displayPath } from '../spec/issues.js';
import type { Spec, SplitCase, SplitName } from '../spec/types.js';

export function selectSplit(cases: SplitCase[], split: SplitName | 'all'): SplitCase[] {
  return split === 'all' ? cases : cases.filter((c) => c.split === split);
}

/** Throws a SpecError pointing at `splits` for each required split with no cases. */
export function assertSplitsNonEmpty(spec: Spec, cases: SplitCase[], required: SplitName[]): void {
  const origin = spec.origins?.['splits'];
  const issues = required
    .filter((split) => !cases.some((c) => c.split === split))
    .map((split): SpecIssue => ({
      file: displayPath(spec.file),
      path: 'splits',
      ...(origin?.line !== undefined ? { line: origin.line, column: origin.column ?? 1 } : {}),
      message: `split "${split}" has 0 cases (${cases.length} case${cases.length === 1 ? '' : 's'} total); lower the other ratios or mark cases with \`split: ${split}\``,
      hint: `ratios now: train ${spec.splits.train}, validation ${spec.splits.validation}, test ${spec.splits.test}`,
    }));
  if (issues.length > 0) throw new SpecError(issues);
}
