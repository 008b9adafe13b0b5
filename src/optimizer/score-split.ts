import type { FailureCategory } from '../assertions/types.js';
import { objectiveValue } from '../runner/objective.js';
import { summarizeMetrics } from '../runner/summarize.js';
import type { CaseResult } from '../runner/types.js';
import type { Objective, SplitName } from '../spec/types.js';
import type { SplitScore } from './types.js';

/**
 * The compact score of one prompt on one split: both figures, the objective's value as `score`,
 * failures per category, named metrics and who passed (under `mean_score` also each case's score, for
 * the paired bootstrap the final selection runs on compact scores). Cases no assertion checked are
 * left out of every figure and counted apart.
 */
export function scoreSplit(split: SplitName, cases: CaseResult[], objective: Objective): SplitScore {
  const checked = cases.filter((c) => !c.unchecked);
  const categories: Partial<Record<FailureCategory, number>> = {};
  for (const c of checked) {
    if (c.pass) continue;
    for (const category of new Set(c.failures.map((f) => f.category))) categories[category] = (categories[category] ?? 0) + 1;
  }
  const mean = (pick: (c: CaseResult) => number) => (checked.length ? checked.reduce((sum, c) => sum + pick(c), 0) / checked.length : 0);
  const figures = { passRate: mean((c) => c.passRate), meanScore: mean((c) => c.score) };
  const metrics = summarizeMetrics(cases);
  return {
    split,
    passed: checked.filter((c) => c.pass).length,
    total: checked.length,
    score: objectiveValue(figures, objective),
    objective,
    ...figures,
    unchecked: cases.length - checked.length,
    ...(metrics.length > 0 ? { metrics } : {}),
    categories,
    passedIds: checked.filter((c) => c.pass).map((c) => c.caseId),
    ...(objective === 'mean_score' ? { caseScores: Object.fromEntries(checked.filter((c) => !c.providerError).map((c) => [c.caseId, c.score])) } : {}),
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
