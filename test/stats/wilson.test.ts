import { describe, expect, test } from 'vitest';
import { wilsonInterval, Z_95 } from '../../src/stats/wilson.js';

describe('wilsonInterval (95%)', () => {
  test.each([
    // successes, n, lower, upper: published values (e.g. Newcombe 1998, Table I; R binom::binom.wilson)
    [8, 10, 0.4902, 0.9433],
    [0, 10, 0, 0.2775],
    [10, 10, 0.7225, 1],
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i -> [%f, %f]', (k, n, lower, upper) => {
    const interval = wilsonInterval(k, n);
    expect(interval.lower).toBeCloseTo(lower, 4);
    expect(interval.upper).toBeCloseTo(upper, 4);
  });

  test('8/10 is [0.490, 0.943] to three places', () => {
    const { lower, upper } = wilsonInterval(8, 10);
    expect(lower.toFixed(3)).toBe('0.490');
    expect(upper.toFixed(3)).toBe('0.943');
  });

  test('is symmetric around 1/2 and stays in [0, 1]', () => {
    const a = wilsonInterval(3, 17);
    const b = wilsonInterval(14, 17);
    expect(a.lower).toBeCloseTo(1 - b.upper, 12);
    expect(a.upper).toBeCloseTo(1 - b.lower, 12);
    for (let k = 0; k <= 5; k++) {
      const i = wilsonInterval(k, 5);
      expect(i.lower).toBeGreaterThanOrEqual(0);
      expect(i.upper).toBeLessThanOrEqual(1);
    }
  });

  test('n = 0 knows nothing; a wider z gives a wider interval; bad input throws', () => {
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
    const narrow = wilsonInterval(8, 10, 1.6448536269514722);
    const wide = wilsonInterval(8, 10, Z_95);
    expect(narrow.upper - narrow.lower).toBeLessThan(wide.upper - wide.lower);
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(1.5, 10)).toThrow(RangeError);
  });
});
