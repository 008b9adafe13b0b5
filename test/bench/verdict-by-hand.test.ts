/**
 * The bench's verdicts against p-values worked out by hand on tiny fixtures (two seeds, two held-out
 * cases, the starting prompt failing both). The two-level bootstrap draws 2 seeds with replacement,
 * then 2 cases with replacement within each drawn seed; p = P(|δ* − δ| ≥ |δ|).
 */
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/bench/summarize.js';

const START = [
  [0, 0],
  [0, 0],
];

describe('bench verdicts, by hand', () => {
  it('a strategy that fixed both cases in seed 1 and one in seed 2 is better (p = 1/64)', () => {
    // d = [1, 1] and [1, 0]; δ = (1 + 1/2) / 2 = 3/4. Extreme: δ* ≤ 0 (δ* ≥ 3/2 cannot happen), i.e.
    // both drawn seeds have case mean 0: only seed 2 drawing case 2 twice, 1/2 × 1/4 = 1/8 per drawn
    // seed, so p = (1/8)² = 1/64 ≈ 0.0156 < 0.05.
    const verdict = compare('iterative', 'start', [
      [1, 1],
      [1, 0],
    ], START, 0.05);
    expect(verdict.meanDifference).toBe(0.75);
    expect(Math.abs(verdict.pValue - 1 / 64)).toBeLessThan(0.005);
    expect(verdict.verdict).toBe('better');
    expect(verdict.text).toMatch(/^iterative is better than start on test \(\+75\.0 pts/);
  });

  it('the mirror image is worse, with the same p', () => {
    const verdict = compare('start', 'iterative', START, [
      [1, 1],
      [1, 0],
    ], 0.05);
    expect(verdict.meanDifference).toBe(-0.75);
    expect(Math.abs(verdict.pValue - 1 / 64)).toBeLessThan(0.005);
    expect(verdict.verdict).toBe('worse');
  });

  it('one case fixed in one seed out of two is no significant difference (p = 11/16)', () => {
    // d = [1, 0] and [0, 0]; δ = 1/4. A drawn seed's case mean X: seed 1 gives 0, 1/2, 1 with 1/4,
    // 1/2, 1/4; seed 2 gives 0. So X = 0 w.p. 5/8, 1/2 w.p. 1/4, 1 w.p. 1/8, and δ* = (X1 + X2) / 2.
    // Extreme: δ* ≤ 0 (both 0: 25/64) or δ* ≥ 1/2 (X1 + X2 ≥ 1: 1 − 25/64 − 2 × 5/8 × 1/4 = 19/64).
    // p = 44/64 = 11/16.
    const verdict = compare('evolutionary', 'start', [
      [1, 0],
      [0, 0],
    ], START, 0.05);
    expect(verdict.meanDifference).toBe(0.25);
    expect(Math.abs(verdict.pValue - 11 / 16)).toBeLessThan(0.02);
    expect(verdict.verdict).toBe('no_significant_difference');
    expect(verdict.text).toContain('no significant difference between evolutionary and start');
  });

  it('states the effect size: the mean difference over the SD of the per-seed differences', () => {
    // Per-seed differences 1 and 1/2: sd = √((1/4)² × 2 / 1) = √(1/8), effect = 0.75 / √(1/8) ≈ 2.12.
    const verdict = compare('iterative', 'start', [
      [1, 1],
      [1, 0],
    ], START, 0.05);
    expect(verdict.standardized).toBeCloseTo(0.75 / Math.sqrt(0.125), 10);
    expect(verdict.seeds).toBe(2);
    expect(verdict.cases).toBe(2);
  });

  it('one seed gives no verdict', () => {
    expect(compare('iterative', 'start', [[1, 1]], [[0, 0]], 0.05).verdict).toBe('too_few_runs');
  });
});
