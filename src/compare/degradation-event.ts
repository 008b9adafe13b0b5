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
  const rate = (id: string) => comparison.pairs.find((p) => p.id === id)?.passRate ?? null;
  const listed = worse.map((c) => `${c.candidate} (${points(c.passRateDifference)}, ${testName(c.test)} p=${pValue(c.pValue)})`);
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
      baseline: comparison.baseline,
      worse: worse.map((c) => ({
        candidate: c.candidate,
        pass_rate: rate(c.candidate),
        pass_rate_difference: c.passRateDifference,
        test: c.test,
        p_value: c.pValue,
        n: c.n,
        fixed: c.fixed.length,
        broken: c.broken.length,
      })),
    },
  };
}
