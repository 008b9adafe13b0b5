import { describe, expect, test } from 'vitest';
import type { FailureCategory } from '../../src/assertions/types.js';
import { compareCandidates, decideAcceptance, type AcceptanceRule } from '../../src/optimizer/acceptance.js';
import { mcnemarExact, mcnemarSignificance, pairOutcomes } from '../../src/optimizer/paired-test.js';
import type { CandidateRecord, SplitScore } from '../../src/optimizer/types.js';

const SCORE: AcceptanceRule = { strictBelow: 0.1, mode: 'score', alpha: 0.05 };
const SIGNIFICANT: AcceptanceRule = { ...SCORE, mode: 'significant' };

describe('decideAcceptance', () => {
  test('below strictBelow only a strict gain is accepted', () => {
    expect(decideAcceptance(0.05, 0.05, SCORE)).toMatchObject({ accept: false, lateral: false, status: 'rejected' });
    expect(decideAcceptance(0.05, 0.05, SCORE).reason).toMatch(/below 10\.0% only strict gains/);
    expect(decideAcceptance(0, 0, SCORE).accept).toBe(false);
    expect(decideAcceptance(0.08, 0.05, SCORE)).toMatchObject({ accept: true, lateral: false, status: 'accepted' });
  });

  test('at or above strictBelow an equal score is a lateral move', () => {
    expect(decideAcceptance(0.1, 0.1, SCORE)).toMatchObject({ accept: true, lateral: true, status: 'accepted' });
    expect(decideAcceptance(0.6, 0.6, SCORE)).toMatchObject({ accept: true, lateral: true });
    expect(decideAcceptance(0.6, 0.6, SCORE).reason).toMatch(/lateral move at 60\.0%/);
    expect(decideAcceptance(0.7, 0.6, SCORE)).toMatchObject({ accept: true, lateral: false });
  });

  test('a lower score is always rejected', () => {
    const decision = decideAcceptance(0.5, 0.6, SCORE);
    expect(decision).toMatchObject({ accept: false, lateral: false, status: 'rejected' });
    expect(decision.reason).toBe('50.0% < current 60.0%');
    expect(decideAcceptance(0.5, 0.6, SIGNIFICANT, mcnemarSignificance(mcnemarExact(0, 10))).status).toBe('rejected');
  });

  test('significant: a gain needs McNemar p < alpha with more fixed than broken', () => {
    // 8 fixed, 1 broken: p = 0.039 < 0.05.
    expect(decideAcceptance(0.9, 0.6, SIGNIFICANT, mcnemarSignificance(mcnemarExact(8, 1)))).toMatchObject({ accept: true, status: 'accepted' });
    // 3 fixed, 0 broken: p = 0.25.
    const weak = decideAcceptance(0.7, 0.6, SIGNIFICANT, mcnemarSignificance(mcnemarExact(3, 0)));
    expect(weak).toMatchObject({ accept: false, status: 'not_significant' });
    expect(weak.reason).toMatch(/McNemar p=0\.250, fixed 3, broke 0/);
  });

  test('significant: a lateral move is refused only when significantly worse on the paired cases', () => {
    expect(decideAcceptance(0.6, 0.6, SIGNIFICANT, mcnemarSignificance(mcnemarExact(2, 2)))).toMatchObject({ accept: true, lateral: true });
    // Same mean score, but breaks 9 and fixes 0 paired samples (possible with partial scores).
    expect(decideAcceptance(0.6, 0.6, SIGNIFICANT, mcnemarSignificance(mcnemarExact(0, 9)))).toMatchObject({ accept: false, status: 'not_significant' });
  });

  test('significant without paired outcomes falls back to the score rule', () => {
    expect(decideAcceptance(0.7, 0.6, SIGNIFICANT)).toMatchObject({ accept: true, status: 'accepted' });
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
