import type { SplitCase } from '../spec/types.js';
import { caseFailuresFrom } from '../assertions/summarize.js';
import type { CaseFailure, CaseResult, SampleResult } from './types.js';

/**
 * Folds a case's samples into one result. A case passes when every sample passes every assertion;
 * its score is the fraction of samples that passed (1 or 0 without `repeat`).
 */
export function assembleCaseResult(testCase: SplitCase, samples: SampleResult[]): CaseResult {
  const ordered = [...samples].sort((a, b) => a.index - b.index);
  const first = ordered[0]!;
  const firstFailing = ordered.find((s) => !s.pass);
  const failures: CaseFailure[] = caseFailuresFrom(firstFailing?.assertions ?? []);
  const fresh = ordered.filter((s) => !s.cacheHit);
  const providerError = ordered.find((s) => s.providerError)?.providerError;
  return {
    caseId: testCase.id,
    split: testCase.split,
    vars: testCase.vars,
    expected: testCase.expected,
    output: first.output,
    pass: ordered.every((s) => s.pass),
    score: ordered.filter((s) => s.pass).length / ordered.length,
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

function sum<T>(items: T[], pick: (item: T) => number): number {
  return items.reduce((total, item) => total + pick(item), 0);
}
