import type { SplitCase } from '../spec/types.js';
import { caseFailuresFrom, sampleMetrics } from '../assertions/summarize.js';
import type { CaseFailure, CaseMetric, CaseResult, SampleResult } from './types.js';

/**
 * Folds a case's samples into one result. A case passes when every sample passes; its pass rate is
 * the fraction of samples that passed (1 or 0 without `repeat`), its score the mean of the samples'
 * scores (partial credit). It is unchecked when no sample had an assertion that counts.
 */
export function assembleCaseResult(testCase: SplitCase, samples: SampleResult[]): CaseResult {
  const ordered = [...samples].sort((a, b) => a.index - b.index);
  const first = ordered[0]!;
  const firstFailing = ordered.find((s) => !s.pass);
  const failures: CaseFailure[] = firstFailing ? caseFailuresFrom(firstFailing.assertions, firstFailing) : [];
  const fresh = ordered.filter((s) => !s.cacheHit);
  const providerError = ordered.find((s) => s.providerError)?.providerError;
  const unchecked = ordered.every((s) => s.unchecked);
  const metrics = caseMetrics(ordered);
  return {
    caseId: testCase.id,
    split: testCase.split,
    vars: testCase.vars,
    expected: testCase.expected,
    output: first.output,
    pass: ordered.every((s) => s.pass),
    passRate: ordered.filter((s) => s.pass).length / ordered.length,
    score: sum(ordered, (s) => s.score) / ordered.length,
    ...(unchecked ? { unchecked: true as const } : {}),
    ...(metrics.length > 0 ? { metrics } : {}),
    samples: ordered,
    failures,
    inputTokens: sum(ordered, (s) => s.inputTokens),
    outputTokens: sum(ordered, (s) => s.outputTokens),
    costUsd: ordered.some((s) => s.costUsd === null) ? null : sum(ordered, (s) => s.costUsd ?? 0),
    latencyMs: sum(ordered, (s) => s.latencyMs) / ordered.length,
    cacheHit: fresh.length === 0,
    ...(providerError ? { providerError } : {}),
  };
}

/** Each named metric over the samples that have it: mean score, passed in every one. */
function caseMetrics(samples: SampleResult[]): CaseMetric[] {
  const byName = new Map<string, { sum: number; n: number; pass: boolean }>();
  for (const sample of samples) {
    for (const m of sampleMetrics(sample.assertions)) {
      const acc = byName.get(m.name) ?? { sum: 0, n: 0, pass: true };
      acc.sum += m.score;
      acc.n += 1;
      acc.pass &&= m.pass;
      byName.set(m.name, acc);
    }
  }
  return [...byName].map(([name, m]) => ({ name, score: m.sum / m.n, pass: m.pass }));
}

function sum<T>(items: T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
