/**
 * What a held-out case counts for in the bench's verdicts: its value under the spec's objective (its
 * pass rate, or its mean score under `objective: mean_score`), so the paired test compares what the
 * table's test score averages. Cases no assertion checked count in neither.
 */
import type { CaseResult } from '../runner/types.js';
import type { Objective } from '../spec/types.js';

export function caseValues(cases: readonly CaseResult[], objective: Objective): Record<string, number> {
  return Object.fromEntries(cases.filter((c) => !c.unchecked).map((c) => [c.caseId, objective === 'mean_score' ? c.score : c.passRate]));
}
