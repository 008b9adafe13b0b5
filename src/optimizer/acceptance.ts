/**
 * Candidate selection and adaptive acceptance, as the design settles them:
 * - select the best candidate by score (`>=` against the running best, so lateral candidates count),
 *   ties broken by fewer failures in more severe categories, then by the shorter prompt;
 * - accept strictly better only while the current score is below `strictBelow` (10%: avoids drifting
 *   around 0%), lateral moves (equal score) at or above it;
 * - with `significant`, a gain must also pass the objective's paired test on the same cases
 *   (McNemar's exact test for the pass rate, a paired bootstrap for the mean score: paired-test.ts),
 *   and a lateral move must not be significantly worse.
 */
import { formatPercent as pct } from '../util/format-percent.js';
import type { FailureCategory } from '../assertions/types.js';
import { CATEGORY_SEVERITY } from '../feedback/severity.js';
import type { PairedSignificance } from './paired-test.js';
import type { CandidateRecord, SplitScore } from './types.js';

export interface AcceptanceRule {
  strictBelow: number;
  mode: 'score' | 'significant';
  alpha: number;
}

export interface AcceptanceDecision {
  accept: boolean;
  lateral: boolean;
  status: 'accepted' | 'rejected' | 'not_significant';
  reason: string;
}


export function decideAcceptance(
  candidateScore: number,
  currentScore: number,
  rule: AcceptanceRule,
  paired?: PairedSignificance,
): AcceptanceDecision {
  const better = candidateScore > currentScore;
  const equal = candidateScore === currentScore;
  if (!better && !(equal && currentScore >= rule.strictBelow)) {
    const why = equal
      ? `no improvement at ${pct(currentScore)} (below ${pct(rule.strictBelow)} only strict gains are accepted)`
      : `${pct(candidateScore)} < current ${pct(currentScore)}`;
    return { accept: false, lateral: false, status: 'rejected', reason: why };
  }
  if (rule.mode === 'significant' && paired) {
    if (better && !(paired.effect > 0 && paired.pValue < rule.alpha)) {
      return { accept: false, lateral: false, status: 'not_significant', reason: `gain not significant (${paired.summary})` };
    }
    if (equal && paired.effect < 0 && paired.pValue < rule.alpha) {
      return { accept: false, lateral: false, status: 'not_significant', reason: `significantly worse on paired cases (${paired.summary})` };
    }
  }
  return better
    ? { accept: true, lateral: false, status: 'accepted', reason: `${pct(currentScore)} → ${pct(candidateScore)}` }
    : { accept: true, lateral: true, status: 'accepted', reason: `lateral move at ${pct(candidateScore)}` };
}

/** Sort comparator over scored candidates: best first. */
export function compareCandidates(a: CandidateRecord, b: CandidateRecord, split: 'train' | 'validation' = 'train'): number {
  const sa = a[split];
  const sb = b[split];
  if (!sa || !sb) return sa ? -1 : sb ? 1 : 0;
  if (sa.score !== sb.score) return sb.score - sa.score;
  const severity = compareSeverity(sa, sb);
  if (severity !== 0) return severity;
  return a.candidate.prompt.length - b.candidate.prompt.length;
}

/** Fewer failures in the most severe category wins; equal there, look at the next one. */
function compareSeverity(a: SplitScore, b: SplitScore): number {
  const categories = (Object.keys(CATEGORY_SEVERITY) as FailureCategory[]).sort((x, y) => CATEGORY_SEVERITY[y] - CATEGORY_SEVERITY[x]);
  for (const category of categories) {
    const diff = (a.categories[category] ?? 0) - (b.categories[category] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
