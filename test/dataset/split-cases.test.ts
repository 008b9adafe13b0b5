import { describe, expect, it } from 'vitest';
import { splitCases, stratumOf } from '../../src/dataset/split-cases.js';
import { caseId } from '../../src/dataset/case-id.js';
import type { SplitConfig, TestCase } from '../../src/spec/types.js';

const CONFIG: SplitConfig = { train: 0.6, validation: 0.2, test: 0.2, seed: 0, stratify: true };
const LABELS = ['positive', 'negative', 'mixed'];

function makeCase(i: number, extra: Partial<TestCase> = {}): TestCase {
  const vars = { input: `line ${i}` };
  const expected = LABELS[i % LABELS.length];
  return { id: caseId(vars, expected), vars, expected, assert: [], origin: { file: '/cases.jsonl', path: `cases[${i}]` }, ...extra };
}

const CASES = Array.from({ length: 300 }, (_, i) => makeCase(i));

function splitOf(cases: TestCase[], config = CONFIG): Map<string, string> {
  return new Map(splitCases(cases, config).map((c) => [c.id, c.split]));
}

describe('splitCases', () => {
  it('gives the same splits for the same spec', () => {
    expect(splitOf(CASES)).toEqual(splitOf(CASES.map((c) => ({ ...c }))));
  });

  it('never moves another case when one is added (or the order changes)', () => {
    const before = splitOf(CASES);
    const after = splitOf([makeCase(1000), ...CASES.slice().reverse(), makeCase(1001)]);
    for (const [id, split] of before) expect(after.get(id)).toBe(split);
  });

  it('roughly respects the ratios, within every label', () => {
    const split = splitCases(CASES, CONFIG);
    const count = (name: string, label?: string) => split.filter((c) => c.split === name && (label === undefined || c.expected === label)).length;
    expect(count('train')).toBeGreaterThan(150);
    expect(count('train')).toBeLessThan(210);
    expect(count('validation')).toBeGreaterThan(35);
    expect(count('validation')).toBeLessThan(85);
    expect(count('test')).toBeGreaterThan(35);
    expect(count('test')).toBeLessThan(85);
    for (const label of LABELS) {
      expect(count('train', label)).toBeGreaterThan(40);
      expect(count('test', label)).toBeGreaterThan(8);
    }
  });

  it('lets an explicit split win', () => {
    const cases = CASES.map((c) => ({ ...c, split: 'test' as const }));
    expect(splitCases(cases, { ...CONFIG, train: 1, validation: 0, test: 0 }).every((c) => c.split === 'test')).toBe(true);
  });

  it('puts every case in train when train is 1', () => {
    expect(splitCases(CASES, { ...CONFIG, train: 1, validation: 0, test: 0 }).every((c) => c.split === 'train')).toBe(true);
  });

  it('depends on the seed', () => {
    expect(splitOf(CASES, { ...CONFIG, seed: 1 })).not.toEqual(splitOf(CASES));
  });

  it('does not change the cases it is given', () => {
    const cases = [makeCase(1)];
    splitCases(cases, CONFIG);
    expect(cases[0]!.split).toBeUndefined();
  });
});

describe('stratumOf', () => {
  it('uses short labels only', () => {
    expect(stratumOf('positive', true)).toBe('positive');
    expect(stratumOf(3, true)).toBe('3');
    expect(stratumOf(true, true)).toBe('true');
    expect(stratumOf('x'.repeat(65), true)).toBe('*');
    expect(stratumOf({ a: 1 }, true)).toBe('*');
    expect(stratumOf(undefined, true)).toBe('*');
    expect(stratumOf('positive', false)).toBe('*');
  });
});
