import { describe, expect, test } from 'vitest';
import { mcnemarExact, pairOutcomes } from '../../src/stats/mcnemar.js';
import { mcnemarExact as viaOptimizer } from '../../src/optimizer/paired-test.js';

/** 2 · Σ_{i<=k} C(n, i) / 2^n with exact integers (BigInt), as one would by hand. */
function byHand(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const choose = (m: number, k: number): bigint => {
    let r = 1n;
    for (let i = 1; i <= k; i++) r = (r * BigInt(m - k + i)) / BigInt(i);
    return r;
  };
  let tail = 0n;
  for (let i = 0; i <= Math.min(b, c); i++) tail += choose(n, i);
  return Math.min(1, (2 * Number(tail)) / 2 ** n);
}

describe('mcnemarExact', () => {
  test('hand values', () => {
    expect(mcnemarExact(8, 1).pValue).toBeCloseTo(0.0390625, 12); // 2·(1+9)/512
    expect(mcnemarExact(1, 8).pValue).toBeCloseTo(0.0390625, 12);
    expect(mcnemarExact(10, 0).pValue).toBeCloseTo(2 / 1024, 12);
    expect(mcnemarExact(6, 0).pValue).toBeCloseTo(0.03125, 12);
    expect(mcnemarExact(5, 0).pValue).toBeCloseTo(0.0625, 12);
    expect(mcnemarExact(3, 3).pValue).toBe(1);
    expect(mcnemarExact(0, 0).pValue).toBe(1);
  });

  test('matches the exact binomial sum for a range of tables', () => {
    for (let b = 0; b <= 30; b += 3) for (let c = 0; c <= 30; c += 4) expect(mcnemarExact(b, c).pValue).toBeCloseTo(byHand(b, c), 10);
  });

  test('stays finite for large n', () => {
    const p = mcnemarExact(600, 400).pValue;
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-9);
  });

  test('the optimizer uses the same implementation', () => {
    expect(viaOptimizer).toBe(mcnemarExact);
  });

  test('pairOutcomes counts discordant pairs by key and ignores unpaired keys', () => {
    const candidate = new Map([['a#0', true], ['b#0', true], ['c#0', false], ['d#0', true], ['x#0', true]]);
    const baseline = new Map([['a#0', false], ['b#0', true], ['c#0', true], ['d#0', false]]);
    expect(pairOutcomes(candidate, baseline)).toEqual({ b: 2, c: 1, pValue: 1 });
  });
});
