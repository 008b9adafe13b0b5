/**
 * The optimizer's paired test (`accept: significant`), chosen by the objective: McNemar's exact test
 * on the pass/fail of the same cases and samples for the pass rate, a seeded paired bootstrap of the
 * case scores for the mean score (partial credit is lost on pass/fail). Both are implemented once,
 * in src/stats/.
 */
import type { CaseResult } from '../runner/types.js';
import type { Objective } from '../spec/types.js';
import { mcnemarExact, pairOutcomes, type PairedOutcome } from '../stats/mcnemar.js';
import { pairedBootstrap } from '../stats/paired-bootstrap.js';

export { mcnemarExact, pairOutcomes, type PairedOutcome };

export interface PairedSignificance {
  test: 'mcnemar_exact' | 'paired_bootstrap';
  /** Two-sided p-value of "no difference". */
  pValue: number;
  /** Above 0 when the candidate is ahead on the paired cases, below 0 when behind. */
  effect: number;
  /** What the test saw, for reasons: `McNemar p=0.039, fixed 8, broke 1`. */
  summary: string;
}

export interface PairedSignificanceOptions {
  resamples?: number;
  seed?: number;
}

/**
 * `baseline` and `candidate`: the case results of the two prompts on the same split. Cases that
 * either side left unchecked or failed with a provider error are left out.
 */
export function pairedSignificance(
  objective: Objective,
  baseline: readonly CaseResult[],
  candidate: readonly CaseResult[],
  options: PairedSignificanceOptions = {},
): PairedSignificance {
  const before = new Map(baseline.filter(usable).map((c) => [c.caseId, c]));
  const pairs = candidate.filter(usable).flatMap((c) => {
    const b = before.get(c.caseId);
    return b ? [[b, c] as const] : [];
  });
  if (objective === 'mean_score') {
    const result = pairedBootstrap(
      pairs.map(([b]) => b.score),
      pairs.map(([, c]) => c.score),
      options,
    );
    const sign = result.meanDifference >= 0 ? '+' : '';
    return {
      test: 'paired_bootstrap',
      pValue: result.pValue,
      effect: result.meanDifference,
      summary: `paired bootstrap p=${result.pValue.toFixed(3)}, mean score ${sign}${(result.meanDifference * 100).toFixed(1)} points on ${result.n} cases`,
    };
  }
  const outcome = pairOutcomes(sampleOutcomes(pairs.map(([, c]) => c)), sampleOutcomes(pairs.map(([b]) => b)));
  return mcnemarSignificance(outcome);
}

/** McNemar's outcome as a significance: fixed minus broken is the effect. */
export function mcnemarSignificance(outcome: PairedOutcome): PairedSignificance {
  return {
    test: 'mcnemar_exact',
    pValue: outcome.pValue,
    effect: outcome.b - outcome.c,
    summary: `McNemar p=${outcome.pValue.toFixed(3)}, fixed ${outcome.b}, broke ${outcome.c}`,
  };
}

function usable(c: CaseResult): boolean {
  return !c.unchecked && !c.providerError;
}

/** Per (case, sample) pass flags. */
function sampleOutcomes(cases: readonly CaseResult[]): Map<string, boolean> {
  const outcomes = new Map<string, boolean>();
  for (const c of cases) for (const s of c.samples) outcomes.set(`${c.caseId}#${s.index}`, s.pass);
  return outcomes;
}
