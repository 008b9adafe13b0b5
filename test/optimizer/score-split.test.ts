/**
 * A prompt's score on a split as the optimizer sees it (both figures, the objective's as `score`,
 * unchecked cases left out), and the objective's paired test for `accept: significant`.
 */
import { describe, expect, test } from 'vitest';
import { pairedSignificance } from '../../src/optimizer/paired-test.js';
import { scoreSplit } from '../../src/optimizer/score-split.js';
import type { CaseResult } from '../../src/runner/types.js';

/** A one-sample case: `score` 0..1, passing when `pass`. */
function result(id: string, pass: boolean, score: number, extra: Partial<CaseResult> = {}): CaseResult {
  return {
    caseId: id,
    split: 'train',
    vars: {},
    output: '',
    pass,
    passRate: pass ? 1 : 0,
    score,
    samples: [{ index: 0, output: '', pass, score, assertions: [], inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: 0, cacheHit: false }],
    failures: pass ? [] : [{ type: 'javascript', category: 'wrong_answer', reason: 'partial', score }],
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    latencyMs: 0,
    cacheHit: false,
    ...extra,
  };
}

describe('scoreSplit', () => {
  const cases = [
    result('a', true, 1, { metrics: [{ name: 'f1', score: 1, pass: true }] }),
    result('b', false, 0.5, { metrics: [{ name: 'f1', score: 0.5, pass: false }] }),
    result('c', false, 0),
    result('unlabelled', true, 1, { unchecked: true }),
  ];

  test('both figures over the checked cases; the objective picks `score`', () => {
    const byPassRate = scoreSplit('train', cases, 'pass_rate');
    expect(byPassRate).toMatchObject({ passed: 1, total: 3, unchecked: 1, objective: 'pass_rate', passedIds: ['a'] });
    expect(byPassRate.passRate).toBeCloseTo(1 / 3, 12);
    expect(byPassRate.meanScore).toBeCloseTo(0.5, 12);
    expect(byPassRate.score).toBe(byPassRate.passRate);
    expect(byPassRate.metrics).toEqual([{ name: 'f1', cases: 2, passed: 1, score: 0.75 }]);
    const byMeanScore = scoreSplit('train', cases, 'mean_score');
    expect(byMeanScore.score).toBeCloseTo(0.5, 12);
    expect(byMeanScore.categories).toEqual({ wrong_answer: 2 });
  });
});

describe('pairedSignificance', () => {
  const before = Array.from({ length: 30 }, (_, i) => result(`c${i}`, false, 0.2));

  test('mean score: a paired bootstrap of the case scores (a small, even gain is significant)', () => {
    const after = before.map((c) => result(c.caseId, false, 0.3));
    const test = pairedSignificance('mean_score', before, after, { resamples: 2000 });
    expect(test.test).toBe('paired_bootstrap');
    expect(test.effect).toBeCloseTo(0.1, 12);
    expect(test.pValue).toBeLessThan(0.001);
    expect(test.summary).toBe('paired bootstrap p=0.000, mean score +10.0 points on 30 cases');
    // On pass/fail nothing flipped: McNemar sees no evidence at all.
    expect(pairedSignificance('pass_rate', before, after)).toMatchObject({ test: 'mcnemar_exact', pValue: 1, effect: 0 });
  });

  test('mean score: a gain on one case is noise', () => {
    const after = before.map((c, i) => result(c.caseId, false, i === 0 ? 0.9 : 0.2));
    const test = pairedSignificance('mean_score', before, after, { resamples: 2000 });
    expect(test.effect).toBeGreaterThan(0);
    expect(test.pValue).toBeGreaterThan(0.05);
  });

  test('pass rate: McNemar on the flipped cases; unchecked and provider-error cases are left out', () => {
    const base = [...Array.from({ length: 10 }, (_, i) => result(`f${i}`, false, 0)), result('u', true, 1, { unchecked: true })];
    const cand = [
      ...Array.from({ length: 10 }, (_, i) => result(`f${i}`, i < 8, i < 8 ? 1 : 0)),
      result('u', true, 1, { unchecked: true }),
    ];
    cand[9] = result('f9', true, 1, { providerError: { code: 'PROVIDER_SERVER', message: 'boom' } });
    const test = pairedSignificance('pass_rate', base, cand);
    expect(test).toMatchObject({ test: 'mcnemar_exact', effect: 8 });
    expect(test.pValue).toBeCloseTo(2 / 256, 12);
    expect(test.summary).toBe('McNemar p=0.008, fixed 8, broke 0');
  });
});
