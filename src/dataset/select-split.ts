/** Picking the cases of one split, and refusing to run on a split that came out empty (saying what to do instead). */
import { SpecError, type SpecIssue } from '../errors.js';
import { displayPath } from '../spec/issues.js';
import type { Spec, SplitCase, SplitName } from '../spec/types.js';

export function selectSplit(cases: SplitCase[], split: SplitName | 'all'): SplitCase[] {
  return split === 'all' ? cases : cases.filter((c) => c.split === split);
}

/**
 * Who needs the splits: `optimize` needs train and test (it tunes on one and reports the other);
 * `eval` and `compare` run one split the user chose, and can run every case with `--split all`.
 */
export type SplitUser = 'optimize' | 'eval' | 'compare';

/** Throws a SpecError pointing at `splits` for each required split with no cases, with the ways out. */
export function assertSplitsNonEmpty(spec: Spec, cases: SplitCase[], required: SplitName[], user: SplitUser = 'eval'): void {
  const origin = spec.origins?.['splits'];
  const counts = (['train', 'validation', 'test'] as const).map((split) => `${split} ${cases.filter((c) => c.split === split).length}`).join(', ');
  const issues = required
    .filter((split) => !cases.some((c) => c.split === split))
    .map((split): SpecIssue => ({
      file: displayPath(spec.file),
      path: 'splits',
      ...(origin?.line !== undefined ? { line: origin.line, column: origin.column ?? 1 } : {}),
      message:
        `split "${split}" has 0 cases (${cases.length} case${cases.length === 1 ? '' : 's'} total: ${counts})` +
        (user === 'optimize' ? `; optimize tunes the prompt on train and scores it once on the held-out test split, so it needs cases in ${required.join(' and ')}` : ''),
      hint: waysOut(spec, split, required, user),
    }));
  if (issues.length > 0) throw new SpecError(issues);
}

function waysOut(spec: Spec, split: SplitName, required: SplitName[], user: SplitUser): string {
  const { train, validation, test } = spec.splits;
  const ratios = `train ${train}, validation ${validation}, test ${test}`;
  const minimum = Math.max(...required.map((s) => (spec.splits[s] > 0 ? Math.ceil(1 / spec.splits[s] - 1e-9) : Infinity)));
  const add = Number.isFinite(minimum)
    ? `add cases (with the ratios ${ratios}, ${minimum} or more give ${required.length > 1 ? `each of ${required.join(', ')}` : split} at least one)`
    : `set a ratio for ${split} in \`splits\` (now ${ratios})`;
  const mark = `mark some cases \`split: ${split}\` in the cases file`;
  if (user === 'optimize') {
    return `${add}, or ${mark}; a test score on few cases is coarse (each of n cases moves it by 100/n points); \`promptopt eval <task.yaml>\` scores a suite of any size`;
  }
  return `\`--split all\` runs every case (no held-out score: it includes the cases an optimizer tuned on), or ${add}, or ${mark}`;
}

/** Below this many cases, a held-out split's score moves by more than 10 points per case. */
const FEW_HELD_OUT = 10;

/**
 * A warning when the splits `optimize` judges by (validation, test) hold only a few cases: its gains
 * and losses there are mostly noise. Undefined when they are large enough (or empty: refused elsewhere).
 */
export function fewHeldOutCasesWarning(cases: readonly SplitCase[]): string | undefined {
  const small = (['validation', 'test'] as const)
    .map((split) => ({ split, n: cases.filter((c) => c.split === split).length }))
    .filter(({ n }) => n > 0 && n < FEW_HELD_OUT);
  if (small.length === 0) return undefined;
  const listed = small.map(({ split, n }) => `${split} ${n}`).join(', ');
  const step = Math.round(100 / Math.min(...small.map(({ n }) => n)));
  return `warning: few held-out cases (${listed}): one case moves a score there by up to ${step} points, so what the run reports on them is mostly noise; add cases (30 or more per split give a usable figure)`;
}
