import { SPLIT_NAMES, type SplitName } from '../spec/types.js';
import type { CaseMetric, CaseResult, MetricSummary, SampleResult, SplitSummary } from './types.js';

/**
 * What a split summary needs of one case: its split, verdict, pass rate and score, its named
 * metrics, and the usage of each sample. A CaseResult is one; `caseTally` keeps only this much of it
 * (an eval of 100k cases keeps 100k tallies, not 100k results).
 */
export interface CaseTally {
  split: SplitName;
  pass: boolean;
  passRate: number;
  score: number;
  unchecked?: true;
  metrics?: readonly CaseMetric[];
  providerError?: unknown;
  samples: readonly Pick<SampleResult, 'cacheHit' | 'providerError' | 'costUsd' | 'inputTokens' | 'outputTokens'>[];
}

export function caseTally(result: CaseResult): CaseTally {
  return {
    split: result.split,
    pass: result.pass,
    passRate: result.passRate,
    score: result.score,
    ...(result.unchecked ? { unchecked: true as const } : {}),
    ...(result.metrics ? { metrics: result.metrics } : {}),
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
  const checked = cases.filter((c) => !c.unchecked);
  return {
    split,
    total: checked.length,
    passed: checked.filter((c) => c.pass).length,
    passRate: mean(checked.map((c) => c.passRate)),
    meanScore: mean(checked.map((c) => c.score)),
    unchecked: cases.length - checked.length,
    metrics: summarizeMetrics(cases),
    costUsd: fresh.reduce((sum, s) => sum + (s.costUsd ?? 0), 0),
    costIncomplete: fresh.some((s) => s.costUsd === null),
    inputTokens: samples.reduce((sum, s) => sum + s.inputTokens, 0),
    outputTokens: samples.reduce((sum, s) => sum + s.outputTokens, 0),
    cacheHits: samples.filter((s) => s.cacheHit).length,
    calls: fresh.length,
    providerErrors: cases.filter((c) => c.providerError).length,
  };
}

/**
 * Each named metric over the cases that have it: how many, how many passed it, its mean score. A
 * case checked only by weight-0 assertions is unchecked (in no pass rate) but still reports its
 * metrics: that is what weight 0 is for. A provider error leaves a case without metrics.
 */
export function summarizeMetrics(cases: readonly Pick<CaseTally, 'metrics'>[]): MetricSummary[] {
  const byName = new Map<string, { cases: number; passed: number; sum: number }>();
  for (const c of cases) {
    for (const m of c.metrics ?? []) {
      const acc = byName.get(m.name) ?? { cases: 0, passed: 0, sum: 0 };
      acc.cases += 1;
      if (m.pass) acc.passed += 1;
      acc.sum += m.score;
      byName.set(m.name, acc);
    }
  }
  return [...byName].map(([name, m]) => ({ name, cases: m.cases, passed: m.passed, score: m.sum / m.cases }));
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function summaryFor(summaries: SplitSummary[], split: SplitName | 'all'): SplitSummary | undefined {
  return summaries.find((s) => s.split === split);
}
