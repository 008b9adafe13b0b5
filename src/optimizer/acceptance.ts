/**
 * Ranking the candidates of an iteration: the best score on the phase's split first, ties broken by
 * fewer failures in more severe categories, then by the shorter prompt. (What is accepted is decided
 * by the rules in rules/.)
 */
import type { FailureCategory } from '../assertions/types.js';
import { CATEGORY_SEVERITY } from '../feedback/severity.js';
import type { CandidateRecord, SplitScore } from './types.js';

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
