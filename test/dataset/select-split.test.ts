import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertSplitsNonEmpty, selectSplit } from '../../src/dataset/select-split.js';
import { splitCases } from '../../src/dataset/split-cases.js';
import { loadSpec } from '../../src/session/load-spec.js';
import { lines, syncSpecErrorOf, writeFiles } from '../spec/helpers.js';

async function loadWithSplits(splits: string) {
  const dir = writeFiles({
    'task.yaml': lines(
      'name: t',
      'description: d',
      'prompt: "{{input}}"',
      'target: { provider: sim, model: sim-classifier }',
      'cases:',
      '  - input: a',
      '  - input: b',
      '  - input: c',
      `splits: ${splits}`,
      'defaults: { assert: [{ type: contains, value: a }] }',
    ),
  });
  const spec = await loadSpec(join(dir, 'task.yaml'));
  return { spec, file: join(dir, 'task.yaml'), cases: splitCases(spec.cases, spec.splits) };
}

describe('selectSplit', () => {
  it('returns one split, or all cases', async () => {
    const { cases } = await loadWithSplits('{ train: 1, validation: 0, test: 0 }');
    expect(selectSplit(cases, 'all')).toHaveLength(3);
    expect(selectSplit(cases, 'train')).toHaveLength(3);
    expect(selectSplit(cases, 'test')).toEqual([]);
  });
});

describe('assertSplitsNonEmpty', () => {
  it('points at `splits` when a required split has no cases', async () => {
    const { spec, file, cases } = await loadWithSplits('{ train: 1, validation: 0, test: 0 }');
    expect(() => assertSplitsNonEmpty(spec, cases, ['train'])).not.toThrow();
    const error = syncSpecErrorOf(() => assertSplitsNonEmpty(spec, cases, ['train', 'test'], 'optimize'));
    expect(error.issues).toEqual([
      {
        file,
        path: 'splits',
        line: 9,
        column: 1,
        message:
          'split "test" has 0 cases (3 cases total: train 3, validation 0, test 0); optimize tunes the prompt on train and scores it once on the held-out test split, so it needs cases in train and test',
        hint:
          'set a ratio for test in `splits` (now train 1, validation 0, test 0), or mark some cases `split: test` in the cases file; a test score on few cases is coarse (each of n cases moves it by 100/n points); `promptopt eval <task.yaml>` scores a suite of any size',
      },
    ]);
  });

  it('a suite too small for its ratios: says how many cases would do, and that eval and compare can run every case', async () => {
    const { spec, cases } = await loadWithSplits('{ train: 0.6, validation: 0.2, test: 0.2 }');
    const testless = cases.map((c) => ({ ...c, split: 'train' as const }));
    const forEval = syncSpecErrorOf(() => assertSplitsNonEmpty(spec, testless, ['test'])).issues[0]!;
    expect(forEval.message).toBe('split "test" has 0 cases (3 cases total: train 3, validation 0, test 0)');
    expect(forEval.hint).toBe(
      '`--split all` runs every case (no held-out score: it includes the cases an optimizer tuned on), or add cases (with the ratios train 0.6, validation 0.2, test 0.2, 5 or more give test at least one), or mark some cases `split: test` in the cases file',
    );
    const forOptimize = syncSpecErrorOf(() => assertSplitsNonEmpty(spec, testless, ['train', 'test'], 'optimize')).issues[0]!;
    expect(forOptimize.hint).toMatch(/^add cases \(with the ratios train 0\.6, validation 0\.2, test 0\.2, 5 or more give each of train, test at least one\)/);
  });
});
