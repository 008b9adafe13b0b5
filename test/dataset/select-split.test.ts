import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertSplitsNonEmpty, selectSplit } from '../../src/dataset/select-split.js';
import { splitCases } from '../../src/dataset/split-cases.js';
import { loadSpec } from '../../src/spec/load-spec.js';
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
    const error = syncSpecErrorOf(() => assertSplitsNonEmpty(spec, cases, ['train', 'test']));
    expect(error.issues).toEqual([
      {
        file,
        path: 'splits',
        line: 9,
        column: 1,
        message: 'split "test" has 0 cases (3 cases total); lower the other ratios or mark cases with `split: test`',
        hint: 'ratios now: train 1, validation 0, test 0',
      },
    ]);
  });
});
