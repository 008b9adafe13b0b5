import { describe, expect, test } from 'vitest';
import { pairedBootstrap } from '../../src/stats/paired-bootstrap.js';

const baseline = [0.2, 0.5, 0.4, 0.9, 0.1, 0.3, 0.6, 0.5, 0.2, 0.7, 0.4, 0.3];
const better = baseline.map((v, i) => Math.min(1, v + (i % 3 === 0 ? 0.1 : 0.3)));

describe('pairedBootstrap', () => {
  test('is deterministic for a seed, and the seed matters', () => {
    const a = pairedBootstrap(baseline, better, { seed: 7, resamples: 2000 });
    const b = pairedBootstrap(baseline, better, { seed: 7, resamples: 2000 });
    const c = pairedBootstrap([0, 1, 0, 1, 1, 0], [1, 1, 0, 0, 1, 1], { seed: 8, resamples: 2000 });
    const d = pairedBootstrap([0, 1, 0, 1, 1, 0], [1, 1, 0, 0, 1, 1], { seed: 9, resamples: 2000 });
    expect(a).toEqual(b);
    expect(c.pValue).not.toBe(d.pValue);
    expect(c.meanDifference).toBe(d.meanDifference);
  });

  test('a consistent gain is significant, with an interval above 0', () => {
    const result = pairedBootstrap(baseline, better);
    expect(result.resamples).toBe(10_000);
    expect(result.n).toBe(12);
    expect(result.meanDifference).toBeCloseTo(0.2333, 3);
    expect(result.pValue).toBeLessThan(0.001);
    expect(result.pValue).toBeGreaterThan(0); // (1 + extreme) / (B + 1) is never 0
    expect(result.interval.lower).toBeGreaterThan(0);
    expect(result.interval.upper).toBeLessThanOrEqual(0.3 + 1e-12);
  });

  test('no difference gives p = 1; mixed small differences are not significant', () => {
    expect(pairedBootstrap(baseline, baseline).pValue).toBe(1);
    expect(pairedBootstrap(baseline, baseline).meanDifference).toBe(0);
    const noisy = baseline.map((v, i) => v + (i % 2 === 0 ? 0.05 : -0.04));
    expect(pairedBootstrap(baseline, noisy, { seed: 1 }).pValue).toBeGreaterThan(0.05);
  });

  test('edge cases: empty input, unequal lengths', () => {
    expect(pairedBootstrap([], [])).toMatchObject({ n: 0, pValue: 1, meanDifference: 0 });
    expect(() => pairedBootstrap([1], [1, 2])).toThrow(RangeError);
  });
});
