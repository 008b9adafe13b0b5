import { describe, expect, test } from 'vitest';
import { fisherExact, nearestRankPercentile, normalUpperTail, twoProportionTest } from '../../src/stats/index.js';

describe('twoProportionTest', () => {
  test('pooled z-test when every expected count is at least 5 (hand values)', () => {
    // p = 75/120 = 0.625; se = √(0.625·0.375·(2/60)) = 0.0883883; z = 0.25 / se = 2√2.
    const r = twoProportionTest(45, 60, 30, 60);
    expect(r.test).toBe('two-proportion z-test');
    expect(r.difference).toBeCloseTo(0.25, 12);
    expect(r.z).toBeCloseTo(2 * Math.SQRT2, 10);
    expect(r.pValue).toBeCloseTo(0.0046777, 6);
    // 20/40 vs 36/40: p = 0.7, z = −0.4 / √(0.7·0.3·0.05) = −3.9036, p = 9.477e-5.
    const drop = twoProportionTest(20, 40, 36, 40);
    expect(drop.z).toBeCloseTo(-3.9036003, 6);
    expect(drop.pValue).toBeCloseTo(9.4772e-5, 8);
    expect(twoProportionTest(30, 60, 30, 60)).toMatchObject({ z: 0, pValue: 1 });
  });

  test("Fisher's exact test when an expected count is below 5", () => {
    // 1/4 vs 3/4: P(a) = C(4,a)² / 70 → tables no likelier than a = 1: (1 + 16 + 16 + 1) / 70.
    expect(twoProportionTest(1, 4, 3, 4)).toMatchObject({ test: 'fisher exact', z: null, difference: -0.5 });
    expect(twoProportionTest(1, 4, 3, 4).pValue).toBeCloseTo(34 / 70, 12);
    // scipy.stats.fisher_exact([[3, 7], [8, 2]]) = 0.0697785, [[1, 9], [9, 1]] = 0.0010933.
    expect(fisherExact(3, 10, 8, 10)).toBeCloseTo(0.0697785187, 9);
    expect(fisherExact(1, 10, 9, 10)).toBeCloseTo(0.0010933339, 9);
    expect(fisherExact(2, 2, 2, 2)).toBe(1);
  });

  test('refuses impossible counts', () => {
    expect(() => twoProportionTest(5, 4, 1, 4)).toThrow(RangeError);
    expect(() => twoProportionTest(0, 0, 1, 4)).toThrow(RangeError);
  });
});

describe('normal tail and nearest-rank percentiles', () => {
  test('normalUpperTail matches tables to 1e-7', () => {
    expect(normalUpperTail(0)).toBeCloseTo(0.5, 7);
    expect(normalUpperTail(1.959963984540054)).toBeCloseTo(0.025, 7);
    expect(normalUpperTail(-1)).toBeCloseTo(0.8413447, 7);
    expect(normalUpperTail(3)).toBeCloseTo(0.0013499, 7);
  });

  test('p50 and p95 are the ⌈p·n⌉-th smallest values', () => {
    expect(nearestRankPercentile([400, 100, 300, 200], 50)).toBe(200);
    expect(nearestRankPercentile([400, 100, 300, 200], 95)).toBe(400);
    expect(nearestRankPercentile([100, 200, 300, 400, 1000], 50)).toBe(300);
    expect(nearestRankPercentile([7], 95)).toBe(7);
    expect(nearestRankPercentile([], 50)).toBeUndefined();
  });
});
