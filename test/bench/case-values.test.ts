import { describe, expect, it } from 'vitest';
import { caseValues } from '../../src/bench/case-values.js';
import type { CaseResult } from '../../src/runner/types.js';

const result = (caseId: string, passRate: number, score: number, unchecked?: true): CaseResult =>
  ({ caseId, split: 'test', vars: {}, output: '', pass: passRate === 1, passRate, score, samples: [], failures: [], inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: 0, cacheHit: false, ...(unchecked ? { unchecked } : {}) }) as CaseResult;

describe('caseValues: what a held-out case counts for in the verdicts', () => {
  const cases = [result('a', 1, 1), result('b', 0, 0.75), result('c', 0, 0.25), result('d', 0, 0, true)];

  it('is its pass rate under pass_rate, its partial credit under mean_score', () => {
    expect(caseValues(cases, 'pass_rate')).toEqual({ a: 1, b: 0, c: 0 });
    expect(caseValues(cases, 'mean_score')).toEqual({ a: 1, b: 0.75, c: 0.25 });
  });

  it('leaves out cases no assertion checked', () => {
    expect(Object.keys(caseValues(cases, 'mean_score'))).not.toContain('d');
  });
});
