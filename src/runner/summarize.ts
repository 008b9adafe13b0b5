import { SPLIT_NAMES, type SplitName } from '../spec/types.js';
import type { CaseResult, SplitSummary } from './types.js';

/** One summary per split present in the results, then one for all of them. */
export function summarizeResults(cases: CaseResult[]): SplitSummary[] {
  const present = SPLIT_NAMES.filter((split) => cases.some((c) => c.split === split));
  return [...present.map((split) => summarize(split, cases.filter((c) => c.split === split))), summarize('all', cases)];
}

function summarize(split: SplitName | 'all', cases: CaseResult[]): SplitSummary {
  const samples = cases.flatMap((c) => c.samples);
  const fresh = samples.filter((s) => !s.cacheHit && !s.providerError);
  return {
    split,
    total: cases.length,
    passed: cases.filter((c) => c.pass).length,
    score: cases.length === 0 ? 0 : cases.reduce((sum, c) => sum + c.score, 0) / cases.length,
    costUsd: fresh.reduce((sum, s) => sum + (s.costUsd ?? 0), 0),
    costIncomplete: fresh.some((s) => s.costUsd === null),
    inputTokens: samples.reduce((sum, s) => sum + s.inputTokens, 0),
    outputTokens: samples.reduce((sum, s) => sum + s.outputTokens, 0),
    cacheHits: samples.filter((s) => s.cacheHit).length,
    calls: fresh.length,
    providerErrors: cases.filter((c) => c.providerError).length,
  };
}

export function summaryFor(summaries: SplitSummary[], split: SplitName | 'all'): SplitSummary | undefined {
  return summaries.find((s) => s.split === split);
}
