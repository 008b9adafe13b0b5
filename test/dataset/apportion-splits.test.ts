import { describe, expect, it } from 'vitest';
import { apportionSplits, idealSize, type SplitCounts } from '../../src/dataset/apportion-splits.js';

const RATIOS: SplitCounts = { train: 0.6, validation: 0.2, test: 0.2 };
const none: SplitCounts = { train: 0, validation: 0, test: 0 };

describe('apportionSplits', () => {
  it('rounds share × count without float noise (0.7 × 10 is 7, so 7 train, never 8)', () => {
    expect(idealSize(0.7, 10)).toBe(7);
    expect(idealSize(0.1, 3)).toBeCloseTo(0.3);
    const sizes = apportionSplits([{ key: 'a', kept: none, added: 10 }], { train: 0.7, validation: 0.1, test: 0.2 }, 0);
    expect(sizes.get('a')).toEqual({ train: 7, validation: 1, test: 2 });
  });

  it('spreads the extra cases of many small strata so each split total lands on its floor or ceiling', () => {
    // 50 strata of 2: ideal 1.2 / 0.4 / 0.4 each; in total 60 / 20 / 20.
    const strata = Array.from({ length: 50 }, (_, i) => ({ key: `s${i}`, kept: none, added: 2 }));
    const sizes = [...apportionSplits(strata, RATIOS, 3).values()];
    const total = (split: keyof SplitCounts) => sizes.reduce((n, s) => n + s[split], 0);
    expect([total('train'), total('validation'), total('test')]).toEqual([60, 20, 20]);
    for (const s of sizes) {
      expect(s.train).toBeGreaterThanOrEqual(1);
      expect(s.train + s.validation + s.test).toBe(2);
    }
  });

  it('never goes below the kept cases; after removals new cases go where the stratum is most short', () => {
    // 4 kept in train (ideal for 6 cases: 3.6 / 1.2 / 1.2): the 2 new ones fill validation and test.
    const sizes = apportionSplits([{ key: 'a', kept: { train: 4, validation: 0, test: 0 }, added: 2 }], RATIOS, 0);
    expect(sizes.get('a')).toEqual({ train: 4, validation: 1, test: 1 });
    // Nothing new: the kept counts stand, even off balance.
    const untouched = apportionSplits([{ key: 'b', kept: { train: 0, validation: 3, test: 0 }, added: 0 }], RATIOS, 0);
    expect(untouched.get('b')).toEqual({ train: 0, validation: 3, test: 0 });
  });

  it('depends on the seed only through which strata take the extras', () => {
    const strata = Array.from({ length: 30 }, (_, i) => ({ key: `s${i}`, kept: none, added: 3 }));
    const a = apportionSplits(strata, { train: 0.5, validation: 0.2, test: 0.3 }, 1);
    const b = apportionSplits(strata, { train: 0.5, validation: 0.2, test: 0.3 }, 2);
    expect(a).toEqual(apportionSplits([...strata].reverse(), { train: 0.5, validation: 0.2, test: 0.3 }, 1));
    expect(a).not.toEqual(b);
  });
});
