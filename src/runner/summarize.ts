import { SPLIT_NAMES, type SplitName } from '../spec/types.js';
import type { CaseResult, SampleResult, SplitSummary } from './types.js';

/**
 * What a split summary needs of one case: its split, verdict and score, and the usage of each
 * sample. A CaseResult is one; `caseTally` keeps only this much of it (an eval of 100k cases keeps
 * 100k tallies, not 100k results).
 */
export interface CaseTally {
  split: SplitName;
  pass: boolean;
  score: number;
  providerError?: unknown;
  samples: readonly Pick<SampleResult, 'cacheHit' | 'providerError' | 'costUsd' | 'inputTokens' | 'outputTokens'>[];
}

export function caseTally(result: CaseResult): CaseTally {
  return {
    split: result.split,
    pass: result.pass,
    score: result.score,
    ...(result.providerError ? { providerError: true } : {}),
    samples: result.samples.map((s) => ({
      cacheHit: s.cacheHit,
      costUsd: s.costUsd,
      inputTokens: s.inputTokens,
      outputTokens: s.outputTokens,
      ...(s.providerError ? { providerError: s.providerError } : {}),
    })),
  };
}

/** One summary per split present in the results, then one for all of them (sums in the cases' order). */
export function summarizeResults(cases: readonly CaseTally[]): SplitSummary[] {
  const present = SPLIT_NAMES.filter((split) => cases.some((c) => c.split === split));
  return [...present.map((split) => summarize(split, cases.filter((c) => c.split === split))), summarize('all', cases)];
}

function summarize(split: SplitName | 'all', cases: readonly CaseTally[]): SplitSummary {
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
