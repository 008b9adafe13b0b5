import type { FailureCategory } from '../assertions/types.js';
import type { CaseResult } from '../runner/types.js';
import type { SplitName } from '../spec/types.js';
import type { SplitScore } from './types.js';

/** The compact score of one prompt on one split, with failures per category and who passed. */
export function scoreSplit(split: SplitName, cases: CaseResult[]): SplitScore {
  const categories: Partial<Record<FailureCategory, number>> = {};
  for (const c of cases) {
    if (c.pass) continue;
    for (const category of new Set(c.failures.map((f) => f.category))) categories[category] = (categories[category] ?? 0) + 1;
  }
  return {
    split,
    passed: cases.filter((c) => c.pass).length,
    total: cases.length,
    score: cases.length ? cases.reduce((sum, c) => sum + c.score, 0) / cases.length : 0,
    categories,
    passedIds: cases.filter((c) => c.pass).map((c) => c.caseId),
  };
}

/** Case ids the candidate fixed and broke relative to the baseline. */
export function fixedAndBroken(baseline: SplitScore, candidate: SplitScore): { fixed: string[]; broken: string[] } {
  const before = new Set(baseline.passedIds);
  const after = new Set(candidate.passedIds);
  return {
    fixed: candidate.passedIds.filter((id) => !before.has(id)),
    broken: baseline.passedIds.filter((id) => !after.has(id)),
  };
}
