import { describe, expect, it } from 'vitest';
import { pairedBootstrap } from '../../src/stats/paired-bootstrap.js';
import { twoLevelBootstrap } from '../../src/stats/two-level-bootstrap.js';
import { exactTwoLevelP } from '../support/exact-two-level.js';

describe('twoLevelBootstrap', () => {
  // Two seeds, three held-out cases. Seed 1 of the candidate fixed two cases; seed 2 broke one and fixed one.
  const start = [
    [1, 0, 0],
    [1, 0, 0],
  ];
  const candidate = [
    [1, 1, 1],
    [0, 1, 0],
  ];

  it('matches the exact enumeration of both resampling levels', () => {
    const exact = exactTwoLevelP(start, candidate);
    expect(exact.delta).toBeCloseTo((2 / 3 + 0) / 2, 12);
    const result = twoLevelBootstrap(start, candidate, { resamples: 40_000, seed: 3 });
    expect(result.meanDifference).toBeCloseTo(exact.delta, 12);
    expect(result.seedDifferences).toEqual([2 / 3, 0]);
    expect(Math.abs(result.pValue - exact.p)).toBeLessThan(0.01);
    expect(result.interval.lower).toBeLessThanOrEqual(result.meanDifference);
    expect(result.interval.upper).toBeGreaterThanOrEqual(result.meanDifference);
  });

  it('gives larger p-values than pooling the cases of every seed', () => {
    // Eight seeds, 20 cases: the candidate gains 2 cases in half the seeds, loses 1 in the other half.
    const base = Array.from({ length: 8 }, () => Array.from({ length: 20 }, (_, c) => (c < 10 ? 1 : 0)));
    const cand = base.map((row, s) => row.map((v, c) => (s % 2 === 0 ? (c >= 10 && c < 12 ? 1 : v) : c === 0 ? 0 : v)));
    const twoLevel = twoLevelBootstrap(base, cand, { seed: 1 });
    const pooled = pairedBootstrap(base.flat(), cand.flat(), { seed: 1 });
    expect(twoLevel.meanDifference).toBeCloseTo(pooled.meanDifference, 12);
    expect(twoLevel.pValue).toBeGreaterThan(pooled.pValue);
  });

  it('is deterministic for a seed, and p = 1 when nothing differs', () => {
    expect(twoLevelBootstrap(start, candidate, { seed: 9 })).toEqual(twoLevelBootstrap(start, candidate, { seed: 9 }));
    expect(twoLevelBootstrap(start, start).pValue).toBe(1);
    expect(() => twoLevelBootstrap(start, [[1, 1]])).toThrow(RangeError);
  });
});
