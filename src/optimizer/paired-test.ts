/**
 * "More than noise", decided once for the optimizer: McNemar's exact test (src/stats/) on the paired
 * pass/fail outcomes of two prompts on the same cases and samples. With `accept: significant` a gain
 * needs it; a validation drop counts only beyond it. A split so small that no outcome could be
 * significant (all n pairs one way still gives p = 2/2^n >= alpha: 5 or fewer pairs at 0.05) has no
 * test: the rules that use one say what they do then.
 */
import type { CaseResult, EvalResult } from '../runner/types.js';
import { mcnemarExact, pairOutcomes, type PairedOutcome } from '../stats/mcnemar.js';
import type { SplitName } from '../spec/types.js';
import { scoreSplit } from './score-split.js';
import type { SplitScore } from './types.js';

export { mcnemarExact, pairOutcomes, type PairedOutcome };

/** One prompt on one split: its compact score, and pass/fail per (case, sample) for paired tests. */
export interface SplitEvidence {
  score: SplitScore;
  samples: Map<string, boolean>;
}

export function evidenceOf(split: SplitName, result: EvalResult): SplitEvidence {
  return { score: scoreSplit(split, result.cases), samples: sampleOutcomes(result.cases) };
}

/** Per (case, sample) pass flags. */
export function sampleOutcomes(cases: readonly CaseResult[]): Map<string, boolean> {
  const outcomes = new Map<string, boolean>();
  for (const c of cases) for (const s of c.samples) outcomes.set(`${c.caseId}#${s.index}`, s.pass);
  return outcomes;
}

/** The candidate against the current prompt on the same pairs: b fixed, c broken, and p. */
export function pairedTest(candidate: SplitEvidence, current: SplitEvidence): PairedOutcome {
  return pairOutcomes(candidate.samples, current.samples);
}

/** The same from two compact scores (case level: a case passes when all its samples do). */
export function pairedTestOfScores(candidate: SplitScore, current: SplitScore): PairedOutcome {
  const before = new Set(current.passedIds);
  const after = new Set(candidate.passedIds);
  const fixed = candidate.passedIds.filter((id) => !before.has(id)).length;
  const broken = current.passedIds.filter((id) => !after.has(id)).length;
  return mcnemarExact(fixed, broken);
}

export function significantlyBetter(paired: PairedOutcome, alpha: number): boolean {
  return paired.b > paired.c && paired.pValue < alpha;
}

export function significantlyWorse(paired: PairedOutcome, alpha: number): boolean {
  return paired.c > paired.b && paired.pValue < alpha;
}

/** True when `pairs` paired outcomes are too few for any result to be significant at `alpha`. */
export function testCannotReject(pairs: number, alpha: number): boolean {
  return mcnemarExact(pairs, 0).pValue >= alpha;
}

/** "McNemar p=0.039, fixed 8, broke 1" */
export function describePaired(paired: PairedOutcome): string {
  return `McNemar p=${paired.pValue.toFixed(3)}, fixed ${paired.b}, broke ${paired.c}`;
}
