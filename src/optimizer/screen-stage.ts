/**
 * The minibatch screen (pareto, after GEPA): a candidate whose proposal carries a gate is scored on
 * its minibatch of train cases first. Unless its mean case score there beats its parent's (a merge:
 * reaches the better parent's), it is `screened_out`: recorded with both scores, never scored on the
 * full split, and the calls that saves are counted. Candidates without a gate pass through untouched.
 * The minibatch results are kept by the loop context, so a candidate that passes pays for those cases
 * once.
 */
import { formatPercent as pct } from '../util/format-percent.js';
import type { LoopContext } from './loop-context.js';
import { providerFailureSummary } from './provider-failures.js';
import type { ScoredCandidate } from './run-iteration.js';

/** Scores within this of the bar count as equal (case scores are means of samples and weights). */
const EPSILON = 1e-9;

export async function screenOnMinibatch(context: LoopContext, candidates: ScoredCandidate[], iteration: number): Promise<ScoredCandidate[]> {
  const gated = candidates.filter((c) => c.gate);
  if (gated.length === 0) return candidates;
  const trainCases = context.cases.filter((c) => c.split === 'train').length;
  const results = await Promise.all(
    gated.map((c) => context.evaluateCases(c.record.candidate.prompt, 'train', c.gate!.caseIds, { iteration, candidate: c.position, phase: 'minibatch' })),
  );
  gated.forEach((c, index) => {
    const result = results[index]!;
    const gate = c.gate!;
    const unscored = providerFailureSummary(result, 'train');
    if (unscored) {
      [c.record.status, c.record.reason] = ['unscored', `not scored on its minibatch: ${unscored}`];
      return;
    }
    const total = result.cases.length;
    const score = total ? result.cases.reduce((sum, r) => sum + r.score, 0) / total : 0;
    const passed = gate.rule === 'better' ? score > gate.bar + EPSILON : score >= gate.bar - EPSILON;
    const savedCalls = passed ? 0 : (trainCases - total) * context.settings.repeat;
    c.record.minibatch = { caseIds: gate.caseIds, score, bar: gate.bar, rule: gate.rule, passed, savedCalls };
    if (passed) return;
    const against = gate.rule === 'better' ? `no gain over its parent (${pct(gate.bar)})` : `below the better parent (${pct(gate.bar)})`;
    c.record.status = 'screened_out';
    c.record.reason = `minibatch of ${total} train case(s): ${pct(score)}, ${against}; not scored on the full split (${savedCalls} target call(s) saved)`;
  });
  return candidates.filter((c) => !c.gate || c.record.minibatch?.passed === true);
}
