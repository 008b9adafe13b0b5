import { describe, expect, test } from 'vitest';
import type { FailureCategory } from '../../src/assertions/types.js';
import { compareCandidates } from '../../src/optimizer/acceptance.js';
import { mcnemarExact, pairedTest, pairOutcomes, testCannotReject, type SplitEvidence } from '../../src/optimizer/paired-test.js';
import {
  gainRules,
  noTrainBreak,
  noValidationRegression,
  significantGain,
  strictBelow,
  type AcceptanceRule,
  type RuleSettings,
} from '../../src/optimizer/rules/acceptance-rules.js';
import { decideAdoption } from '../../src/optimizer/rules/adoption.js';
import { converged, firstStop, maxIterations, patience } from '../../src/optimizer/rules/stop-rules.js';
import type { CandidateRecord, RunState, SplitScore } from '../../src/optimizer/types.js';

const SCORE: RuleSettings = { strictBelow: 0.1, accept: 'score', alpha: 0.05 };
const SIGNIFICANT: RuleSettings = { ...SCORE, accept: 'significant' };

/** Evidence of `passed` of `total` single-sample cases `c1..cN`; `passedIds` picks which (default: the first `passed`). */
function evidence(split: 'train' | 'validation', total: number, passedIds: number[]): SplitEvidence {
  const ids = Array.from({ length: total }, (_, i) => `c${i + 1}`);
  const passing = new Set(passedIds.map((n) => `c${n}`));
  const score: SplitScore = { split, passed: passing.size, total, score: passing.size / total, categories: {}, passedIds: ids.filter((id) => passing.has(id)) };
  return { score, samples: new Map(ids.map((id) => [`${id}#0`, passing.has(id)])), caseScores: new Map(ids.map((id) => [id, passing.has(id) ? 1 : 0])) };
}

/** Evidence under `objective: mean_score`: one score per case `c1..cN` (none passes: partial credit only). */
function scored(split: 'train' | 'validation', scores: number[]): SplitEvidence {
  const ids = scores.map((_, i) => `c${i + 1}`);
  const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
  const score: SplitScore = { split, passed: 0, total: scores.length, score: mean, objective: 'mean_score', passRate: 0, meanScore: mean, categories: {}, passedIds: [] };
  return { score, samples: new Map(ids.map((id) => [`${id}#0`, false])), caseScores: new Map(ids.map((id, i) => [id, scores[i]!])) };
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function check(rule: AcceptanceRule, candidate: SplitEvidence, current: SplitEvidence, settings = SCORE, broken: string[] = []) {
  const record = { candidate: { id: 'i1c1', prompt: 'p', hypothesis: '', origin: 'refine' as const, parents: [] }, status: 'rejected' as const, reason: '', fixed: [], broken };
  return rule.check({ split: candidate.score.split, candidate, current, record, settings });
}

describe('acceptance rules', () => {
  test('strictBelow: below strict_below only a strict gain passes; a drop never does', () => {
    expect(check(strictBelow, evidence('train', 20, [1]), evidence('train', 20, [2]))).toMatchObject({ status: 'rejected' });
    expect(check(strictBelow, evidence('train', 20, [1]), evidence('train', 20, [2]))!.reason).toMatch(/below 10\.0% only strict gains/);
    expect(check(strictBelow, evidence('train', 20, [1, 2]), evidence('train', 20, [1]))).toBeUndefined();
    expect(check(strictBelow, evidence('train', 10, [1, 2]), evidence('train', 10, [3, 4]))).toBeUndefined(); // equal at 20%: may be lateral
    expect(check(strictBelow, evidence('train', 10, [1]), evidence('train', 10, [1, 2]))!.reason).toBe('train 10.0% < current 20.0%');
  });

  test('significantGain: a gain needs McNemar p < alpha with more fixed than broken', () => {
    // 8 fixed, 1 broken: p = 0.039.
    expect(check(significantGain, evidence('train', 20, [...range(1, 8), 10]), evidence('train', 20, [9, 10]), SIGNIFICANT)).toBeUndefined();
    // 3 fixed, 0 broken: p = 0.25.
    const weak = check(significantGain, evidence('validation', 20, [1, 2, 3, 10]), evidence('validation', 20, [10]), SIGNIFICANT);
    expect(weak).toMatchObject({ status: 'not_significant' });
    expect(weak!.reason).toBe('validation gain not significant (McNemar p=0.250, fixed 3, broke 0)');
    // Equal score, but 9 broken and 9 fixed: not worse. Equal score cannot be significantly worse with pass/fail.
    expect(check(significantGain, evidence('train', 20, range(1, 9)), evidence('train', 20, range(10, 18)), SIGNIFICANT)).toBeUndefined();
  });

  test('noValidationRegression: a drop beyond noise is out, a drop within noise passes', () => {
    // 0 fixed, 7 broken on 40 cases: p = 0.016.
    const hurt = check(noValidationRegression, evidence('validation', 40, range(8, 20)), evidence('validation', 40, range(1, 20)));
    expect(hurt).toMatchObject({ status: 'hurts_validation' });
    expect(hurt!.reason).toMatch(/lowered validation 50\.0% → 32\.5%, more than noise \(McNemar p=0\.016, fixed 0, broke 7\)/);
    // 1 fixed, 3 broken: p = 0.625, within noise.
    expect(check(noValidationRegression, evidence('validation', 40, [...range(4, 20), 21]), evidence('validation', 40, range(1, 20)))).toBeUndefined();
    // No drop at all.
    expect(check(noValidationRegression, evidence('validation', 40, range(1, 25)), evidence('validation', 40, range(1, 20)))).toBeUndefined();
  });

  test('noValidationRegression: on a split too small for the test (5 cases), any drop counts', () => {
    const small = check(noValidationRegression, evidence('validation', 5, [1, 2]), evidence('validation', 5, [1, 2, 3]));
    expect(small).toMatchObject({ status: 'hurts_validation' });
    expect(small!.reason).toMatch(/too small for a paired test: any drop counts/);
    expect(testCannotReject(5, 0.05)).toBe(true);
    expect(testCannotReject(6, 0.05)).toBe(false);
  });

  test('noTrainBreak: any broken train case is out', () => {
    expect(check(noTrainBreak, evidence('train', 10, [1]), evidence('train', 10, [1]), SCORE, ['c2'])).toMatchObject({ status: 'breaks_train', reason: 'broke 1 train case(s) that passed before' });
    expect(check(noTrainBreak, evidence('train', 10, [1]), evidence('train', 10, [1]))).toBeUndefined();
  });

  test('gainRules: strict_below alone for score, plus the paired test for significant', () => {
    expect(gainRules(SCORE).map((r) => r.name)).toEqual(['strictBelow']);
    expect(gainRules(SIGNIFICANT).map((r) => r.name)).toEqual(['strictBelow', 'significantGain']);
  });
});

describe('acceptance rules under objective: mean_score (the paired bootstrap)', () => {
  const flat = (n: number, value: number) => Array.from({ length: n }, () => value);

  test('significantGain: an even gain on every case is significant; a gain on one case is noise', () => {
    expect(check(significantGain, scored('train', flat(20, 0.6)), scored('train', flat(20, 0.4)), SIGNIFICANT)).toBeUndefined();
    const lucky = check(significantGain, scored('train', [1, ...flat(19, 0.4)]), scored('train', flat(20, 0.4)), SIGNIFICANT);
    expect(lucky).toMatchObject({ status: 'not_significant' });
    expect(lucky!.reason).toMatch(/^train gain not significant \(paired bootstrap p=0\.\d{3}, mean score \+3\.0 points on 20 cases\)$/);
    // No case passes on either side: McNemar would see nothing; the bootstrap reads the partial credit.
    expect(pairedTest(scored('train', flat(20, 0.6)), scored('train', flat(20, 0.4)))).toMatchObject({ test: 'paired_bootstrap', pairs: 20 });
  });

  test('the bootstrap is held to the McNemar floor: 5 cases that all rose are no evidence', () => {
    const tiny = check(significantGain, scored('validation', flat(5, 0.9)), scored('validation', flat(5, 0.1)), SIGNIFICANT);
    expect(tiny).toMatchObject({ status: 'not_significant' });
    expect(check(significantGain, scored('validation', flat(6, 0.9)), scored('validation', flat(6, 0.1)), SIGNIFICANT)).toBeUndefined();
  });

  test('noValidationRegression: a drop on every case is beyond noise; a drop on one case is not; a tiny split counts any drop', () => {
    const hurt = check(noValidationRegression, scored('validation', flat(20, 0.5)), scored('validation', flat(20, 0.8)));
    expect(hurt).toMatchObject({ status: 'hurts_validation' });
    expect(hurt!.reason).toMatch(/^lowered validation 80\.0% → 50\.0%, more than noise \(paired bootstrap p=0\.000, mean score -30\.0 points on 20 cases\)$/);
    expect(check(noValidationRegression, scored('validation', [0.2, ...flat(19, 0.8)]), scored('validation', flat(20, 0.8)))).toBeUndefined();
    expect(check(noValidationRegression, scored('validation', [0.7, 0.8, 0.8]), scored('validation', flat(3, 0.8)))!.reason).toMatch(/too small for a paired test: any drop counts/);
  });

  test('noTrainBreak: the train mean score may not fall beyond noise (a case flipping to fail alone is no break)', () => {
    const broke = check(noTrainBreak, scored('train', flat(20, 0.5)), scored('train', flat(20, 0.8)), SCORE);
    expect(broke).toMatchObject({ status: 'breaks_train' });
    expect(broke!.reason).toMatch(/^lowered train 80\.0% → 50\.0%, more than noise \(paired bootstrap/);
    // One case lost a little (and flipped to fail), the rest rose: the mean went up, so nothing broke.
    expect(check(noTrainBreak, scored('train', [0.7, ...flat(19, 0.9)]), scored('train', flat(20, 0.8)), SCORE, ['c1'])).toBeUndefined();
    expect(check(noTrainBreak, scored('train', [0.7, 0.8, 0.8]), scored('train', flat(3, 0.8)), SCORE)!.reason).toMatch(/the train split is too small/);
  });
});

describe('decideAdoption', () => {
  const current = { train: evidence('train', 10, range(1, 6)), validation: evidence('validation', 10, range(1, 5)) };

  test('a gain on the phase split is adopted; the reason gives both splits', () => {
    const decision = decideAdoption({ lead: 'train', candidate: { train: evidence('train', 10, range(1, 7)), validation: evidence('validation', 10, range(1, 4)) }, current, settings: SCORE });
    expect(decision).toEqual({ kind: 'adopt', reason: 'train 60.0% → 70.0%, validation 50.0% → 40.0%' });
  });

  test('the same score on every split is a lateral move: recorded, not adopted', () => {
    const decision = decideAdoption({ lead: 'train', candidate: { train: evidence('train', 10, range(2, 7)), validation: evidence('validation', 10, range(1, 5)) }, current, settings: SCORE });
    expect(decision.kind).toBe('lateral');
    expect(decision.reason).toBe('lateral move: the same score on every split (train 60.0%, validation 50.0%); recorded, not adopted');
    // Without a validation split, equal on train is lateral too.
    expect(decideAdoption({ lead: 'train', candidate: { train: evidence('train', 10, range(2, 7)) }, current: { train: current.train }, settings: SCORE }).kind).toBe('lateral');
  });

  test('equal on the phase split: a gain on the other split is adopted, a loss rejected', () => {
    const up = decideAdoption({ lead: 'train', candidate: { train: evidence('train', 10, range(1, 6)), validation: evidence('validation', 10, range(1, 6)) }, current, settings: SCORE });
    expect(up).toEqual({ kind: 'adopt', reason: 'train unchanged at 60.0%, validation 50.0% → 60.0%' });
    const down = decideAdoption({ lead: 'train', candidate: { train: evidence('train', 10, range(1, 6)), validation: evidence('validation', 10, range(1, 4)) }, current, settings: SCORE });
    expect(down).toMatchObject({ kind: 'reject', status: 'rejected' });
    // With accept: significant, the other split's gain needs the paired test too.
    expect(decideAdoption({ lead: 'train', candidate: { train: evidence('train', 10, range(1, 6)), validation: evidence('validation', 10, range(1, 6)) }, current, settings: SIGNIFICANT })).toMatchObject({
      kind: 'reject',
      status: 'not_significant',
    });
  });
});

describe('stop rules', () => {
  test('each fires on its own condition; the first that fires wins', () => {
    const state = { current: { train: { score: 0.5 }, validation: { score: 1 } }, iteration: 3, stale: 1 } as unknown as RunState;
    expect(firstStop([converged('train'), maxIterations(5), patience(3)], state)).toBeUndefined();
    expect(firstStop([converged('validation'), maxIterations(3)], state)).toBe('converged');
    expect(firstStop([converged('train'), maxIterations(3), patience(1)], state)).toBe('max_iterations');
    expect(firstStop([converged('train'), maxIterations(9), patience(1)], state)).toBe('patience');
  });
});

describe('mcnemarExact', () => {
  test('matches hand-computed two-sided exact p-values', () => {
    // b=8, c=1: 2 * (C(9,0) + C(9,1)) / 2^9 = 2 * 10 / 512.
    expect(mcnemarExact(8, 1).pValue).toBeCloseTo(0.0390625, 12);
    expect(mcnemarExact(1, 8).pValue).toBeCloseTo(0.0390625, 12);
    // b=5, c=5: the tail past the middle is over a half: capped at 1.
    expect(mcnemarExact(5, 5).pValue).toBe(1);
    // b=6, c=0: 2 / 64.
    expect(mcnemarExact(6, 0).pValue).toBeCloseTo(0.03125, 12);
    // b=10, c=2: 2 * (1 + 12 + 66) / 4096.
    expect(mcnemarExact(10, 2).pValue).toBeCloseTo(158 / 4096, 12);
    // No discordant pairs: no evidence.
    expect(mcnemarExact(0, 0)).toEqual({ b: 0, c: 0, pValue: 1 });
  });

  test('pairOutcomes counts discordant pairs on shared keys only', () => {
    const candidate = new Map([
      ['a#0', true],
      ['b#0', true],
      ['c#0', false],
      ['d#0', true],
      ['only-candidate#0', true],
    ]);
    const baseline = new Map([
      ['a#0', false],
      ['b#0', false],
      ['c#0', true],
      ['d#0', true],
    ]);
    expect(pairOutcomes(candidate, baseline)).toMatchObject({ b: 2, c: 1 });
  });
});

function record(id: string, prompt: string, passed: number, categories: Partial<Record<FailureCategory, number>> = {}): CandidateRecord {
  const train: SplitScore = { split: 'train', passed, total: 10, score: passed / 10, categories, passedIds: [] };
  return { candidate: { id, prompt, hypothesis: '', origin: 'refine', parents: ['start'] }, status: 'rejected', reason: '', train, fixed: [], broken: [] };
}

describe('compareCandidates', () => {
  test('higher score first', () => {
    const ranked = [record('a', 'x', 5), record('b', 'xxxx', 8), record('c', 'x', 6)].sort((a, b) => compareCandidates(a, b));
    expect(ranked.map((r) => r.candidate.id)).toEqual(['b', 'c', 'a']);
  });

  test('equal scores: fewer failures in the most severe category wins', () => {
    // invalid_json is more severe than format_violation.
    const severe = record('severe', 'p', 6, { invalid_json: 1, format_violation: 3 });
    const mild = record('mild', 'a much longer prompt', 6, { format_violation: 4 });
    expect([severe, mild].sort((a, b) => compareCandidates(a, b))[0]!.candidate.id).toBe('mild');
    // Same count in the most severe: the next category decides.
    const x = record('x', 'p', 6, { wrong_answer: 2, format_violation: 2 });
    const y = record('y', 'p', 6, { wrong_answer: 2, format_violation: 1, latency_exceeded: 1 });
    expect([x, y].sort((a, b) => compareCandidates(a, b))[0]!.candidate.id).toBe('y');
  });

  test('equal scores and severities: the shorter prompt wins', () => {
    const long = record('long', 'a long prompt {{input}}', 7, { wrong_answer: 3 });
    const short = record('short', 'short {{input}}', 7, { wrong_answer: 3 });
    expect([long, short].sort((a, b) => compareCandidates(a, b))[0]!.candidate.id).toBe('short');
    expect(compareCandidates(short, short)).toBe(0);
  });

  test('ranks on the validation split when asked; unscored records go last', () => {
    const a = record('a', 'p', 9);
    const b = record('b', 'p', 1);
    a.validation = { ...a.train!, split: 'validation', score: 0.2 };
    b.validation = { ...b.train!, split: 'validation', score: 0.7 };
    const unscored = record('u', 'p', 10);
    expect([a, unscored, b].sort((x, y) => compareCandidates(x, y, 'validation')).map((r) => r.candidate.id)).toEqual(['b', 'a', 'u']);
  });
});
