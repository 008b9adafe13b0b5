/**
 * The `degradation` notification of `promptopt compare`: one or more pairs are significantly worse
 * than the baseline. Undefined when none is.
 */
import type { NotifyEvent } from '../notify/types.js';
import { pct, points, pValue, testName } from './format.js';
import type { Comparison } from './types.js';

export function compareDegradationEvent(comparison: Comparison, report: string): NotifyEvent | undefined {
  const worse = comparison.comparisons.filter((c) => c.verdict === 'worse');
  if (worse.length === 0) return undefined;
  const meanScore = comparison.settings.objective === 'mean_score';
  // The objective's figure: the pass rate, or the mean score.
  const rate = (id: string) => comparison.pairs.find((p) => p.id === id)?.[meanScore ? 'score' : 'passRate'] ?? null;
  const difference = (c: (typeof worse)[number]) => (meanScore ? c.scoreDifference : c.passRateDifference);
  const listed = worse.map((c) => `${c.candidate} (${points(difference(c))}, ${testName(c.test)} p=${pValue(c.pValue)})`);
  const baselineRate = rate(comparison.baseline);
  return {
    type: 'degradation',
    task: comparison.task,
    summary: `${comparison.task}: ${worse.length} of ${comparison.comparisons.length} compared pair(s) significantly worse than the baseline ${comparison.baseline}${
      baselineRate === null ? '' : ` (${pct(baselineRate)})`
    }: ${listed.join('; ')}`,
    versions: { baseline: comparison.baseline, candidate: worse[0]!.candidate },
    scores: Object.fromEntries([comparison.baseline, ...worse.map((c) => c.candidate)].map((id) => [id, rate(id)])),
    report,
    details: {
      command: 'compare',
      split: comparison.split,
      alpha: comparison.settings.alpha,
      objective: comparison.settings.objective,
      baseline: comparison.baseline,
      worse: worse.map((c) => ({
        candidate: c.candidate,
        pass_rate: comparison.pairs.find((p) => p.id === c.candidate)?.passRate ?? null,
        pass_rate_difference: c.passRateDifference,
        mean_score: comparison.pairs.find((p) => p.id === c.candidate)?.score ?? null,
        score_difference: c.scoreDifference,
        test: c.test,
        p_value: c.pValue,
        n: c.n,
        fixed: c.fixed.length,
        broken: c.broken.length,
      })),
    },
  };
}
