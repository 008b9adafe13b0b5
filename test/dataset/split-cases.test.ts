/**
 * The split properties, checked on seeded random case sets and on banking77 (77 intents, about 4
 * cases each): per label every split gets the floor or the ceiling of share × the label's count;
 * split totals are the floor or the ceiling of share × all cases; adding cases never moves one,
 * removing one never moves another.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planSplits, splitCases, stratumOf, type SplitAssignment } from '../../src/dataset/split-cases.js';
import { caseId } from '../../src/dataset/case-id.js';
import { loadSpec } from '../../src/session/load-spec.js';
import { SPLIT_NAMES, type SplitCase, type SplitConfig, type TestCase } from '../../src/spec/types.js';
import { seededRandom } from '../../src/util/seeded-random.js';

const CONFIG: SplitConfig = { train: 0.6, validation: 0.2, test: 0.2, seed: 0, stratify: true };
const RATIOS: [number, number, number][] = [
  [0.5, 0.2, 0.3],
  [0.6, 0.2, 0.2],
  [0.7, 0.15, 0.15],
  [0.8, 0.1, 0.1],
  [0.5, 0, 0.5],
  [0.4, 0.3, 0.3],
];
const EPS = 1e-9;

function makeCase(i: number, label: unknown, extra: Partial<TestCase> = {}): TestCase {
  const vars = { input: `line ${i}` };
  return { id: caseId(vars, label), vars, expected: label, assert: [], origin: { file: '/cases.jsonl', path: `cases[${i}]` }, ...extra };
}

/** n cases over up to `labels` labels with skewed frequencies (some labels get 1-2 cases). */
function randomCases(random: () => number, n: number, labels: number, from = 0): TestCase[] {
  return Array.from({ length: n }, (_, i) => makeCase(from + i, `L${Math.floor(random() * random() * labels)}`));
}

function randomConfig(random: () => number, trial: number): SplitConfig {
  const [train, validation, test] = RATIOS[trial % RATIOS.length]!;
  return { train, validation, test, seed: Math.floor(random() * 1000), stratify: true };
}

function count(cases: SplitCase[], split: string): number {
  return cases.filter((c) => c.split === split).length;
}

/** Splits whose size is not the floor or the ceiling of share × count, per label and in total. */
function quotaViolations(cases: SplitCase[], config: SplitConfig): string[] {
  const out: string[] = [];
  const check = (what: string, group: SplitCase[]) => {
    for (const split of SPLIT_NAMES) {
      const ideal = config[split] * group.length;
      const n = count(group, split);
      if (n < Math.floor(ideal + EPS) || n > Math.ceil(ideal - EPS)) out.push(`${what} ${split}: ${n} for an ideal ${ideal.toFixed(2)}`);
    }
  };
  const byLabel = groupBy(cases, (c) => stratumOf(c.expected, config.stratify));
  for (const [label, group] of byLabel) check(`label ${label}`, group);
  check('total', cases);
  return out;
}

/** Map.groupBy, which Node 20 lacks. */
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

function splitMap(cases: SplitCase[]): Map<string, string> {
  return new Map(cases.map((c) => [c.id, c.split]));
}

describe('splitCases: stratified', () => {
  it('gives each label the floor or ceiling of its share, and each split the floor or ceiling of its total (200 random case sets)', () => {
    for (let trial = 0; trial < 200; trial++) {
      const random = seededRandom(trial);
      const config = randomConfig(random, trial);
      const cases = randomCases(random, 1 + Math.floor(random() * 400), 1 + Math.floor(random() * 40));
      expect(quotaViolations(splitCases(cases, config), config), `trial ${trial}`).toEqual([]);
    }
  });

  it('splits 300 cases at 0.5/0.2/0.3 into exactly 150/60/90', () => {
    const random = seededRandom(1);
    const cases = randomCases(random, 300, 20);
    const split = splitCases(cases, { train: 0.5, validation: 0.2, test: 0.3, seed: 4, stratify: true });
    expect([count(split, 'train'), count(split, 'validation'), count(split, 'test')]).toEqual([150, 60, 90]);
  });

  it('banking77: every intent gets its share (train for all, test for every intent with 4+ cases) and 150/60/90 in total', async () => {
    const spec = await loadSpec(join(import.meta.dirname, '..', '..', 'examples', 'banking77', 'task.yaml'), { env: {} });
    expect(spec.splits).toMatchObject({ train: 0.5, validation: 0.2, test: 0.3 });
    for (const seed of [0, 1, 7, 42]) {
      const config = { ...spec.splits, seed };
      const split = splitCases(spec.cases, config);
      expect(quotaViolations(split, config)).toEqual([]);
      expect([count(split, 'train'), count(split, 'validation'), count(split, 'test')]).toEqual([150, 60, 90]);
      const byLabel = groupBy(split, (c) => String(c.expected));
      expect(byLabel.size).toBe(77);
      for (const [label, group] of byLabel) {
        if (group.length >= 3) expect(count(group, 'train'), label).toBeGreaterThanOrEqual(1);
        if (group.length >= 4) expect(count(group, 'test'), label).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('gives every label with 3 or more cases a train case, at the usual ratios', () => {
    for (let trial = 0; trial < 100; trial++) {
      const random = seededRandom(1000 + trial);
      const config = randomConfig(random, trial);
      const cases = randomCases(random, 50 + Math.floor(random() * 300), 60);
      for (const group of groupBy(splitCases(cases, config), (c) => String(c.expected)).values()) {
        if (group.length >= 3) expect(count(group, 'train')).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('treats all cases as one stratum without stratify, or when expected is not a short label', () => {
    const config = { ...CONFIG, stratify: false };
    const cases = randomCases(seededRandom(3), 97, 5);
    expect(quotaViolations(splitCases(cases, config), config)).toEqual([]);
    const objects = Array.from({ length: 50 }, (_, i) => makeCase(i, { intent: `i${i % 3}` }));
    expect(quotaViolations(splitCases(objects, CONFIG), CONFIG)).toEqual([]);
    expect(count(splitCases(objects, CONFIG), 'train')).toBe(30);
  });

  it('lets an explicit split win and balances the other cases among themselves', () => {
    const cases = randomCases(seededRandom(5), 100, 4);
    const pinned = cases.map((c, i) => (i < 10 ? { ...c, split: 'test' as const } : c));
    const plan = planSplits(pinned, CONFIG);
    expect(plan.cases.slice(0, 10).every((c) => c.split === 'test')).toBe(true);
    expect(quotaViolations(plan.cases.slice(10), CONFIG)).toEqual([]);
    expect(Object.keys(plan.assignment)).toHaveLength(90);
  });

  it('puts every case in train when train is 1, and none in a split whose share is 0', () => {
    const cases = randomCases(seededRandom(6), 50, 5);
    expect(splitCases(cases, { ...CONFIG, train: 1, validation: 0, test: 0 }).every((c) => c.split === 'train')).toBe(true);
    expect(count(splitCases(cases, { ...CONFIG, train: 0.5, validation: 0, test: 0.5 }), 'validation')).toBe(0);
  });
});

describe('splitCases: stable', () => {
  const random = seededRandom(11);
  const CASES = randomCases(random, 300, 12);

  it('gives the same splits for the same cases in any order, and other splits for another seed', () => {
    const shuffled = CASES.map((c) => ({ c, u: random() })).sort((a, b) => a.u - b.u).map(({ c }) => ({ ...c }));
    expect(splitMap(splitCases(shuffled, CONFIG))).toEqual(splitMap(splitCases(CASES, CONFIG)));
    expect(splitMap(splitCases(CASES, { ...CONFIG, seed: 1 }))).not.toEqual(splitMap(splitCases(CASES, CONFIG)));
  });

  it('never moves a recorded case when cases are added, and keeps each label within its floor/ceiling (random additions)', () => {
    let worstTotal = 0;
    for (let trial = 0; trial < 60; trial++) {
      const random = seededRandom(2000 + trial);
      const config = randomConfig(random, trial);
      const labels = 1 + Math.floor(random() * 30);
      let cases = randomCases(random, 1 + Math.floor(random() * 200), labels);
      let plan = planSplits(cases, config);
      for (let step = 1; step <= 4; step++) {
        cases = [...cases, ...randomCases(random, 1 + Math.floor(random() * 40), labels + 3, step * 10_000)];
        const next = planSplits(cases, config, plan.assignment);
        for (const [id, split] of Object.entries(plan.assignment)) expect(next.assignment[id]).toBe(split);
        const perLabel = quotaViolations(next.cases, config).filter((v) => !v.startsWith('total'));
        expect(perLabel, `trial ${trial} step ${step}`).toEqual([]);
        for (const split of SPLIT_NAMES) worstTotal = Math.max(worstTotal, Math.abs(count(next.cases, split) - config[split] * cases.length));
        plan = next;
      }
    }
    // Totals: within one case whenever the recorded cases allow it (they never move to make it so).
    expect(worstTotal).toBeLessThan(2);
  });

  it('never moves another case when cases are removed, and places new cases where their label is short', () => {
    const plan = planSplits(CASES, CONFIG);
    const kept = CASES.filter((_, i) => i % 7 !== 0);
    const after = planSplits(kept, CONFIG, plan.assignment);
    for (const c of after.cases) expect(c.split).toBe(plan.assignment[c.id]);
    expect(after.added).toEqual([]);
    // Removed ids stay recorded: a case that comes back keeps its split.
    expect(after.assignment).toEqual(plan.assignment);

    const label = String(CASES[0]!.expected);
    const ofLabel = kept.filter((c) => c.expected === label);
    const trainOfLabel = ofLabel.filter((c) => after.assignment[c.id] === 'train');
    const withoutTrain = kept.filter((c) => !trainOfLabel.includes(c));
    const fresh = Array.from({ length: trainOfLabel.length }, (_, i) => makeCase(90_000 + i, label));
    const refilled = planSplits([...withoutTrain, ...fresh], CONFIG, plan.assignment);
    expect(refilled.cases.filter((c) => fresh.some((f) => f.id === c.id)).every((c) => c.split === 'train')).toBe(true);
  });

  it('records exactly the cases it placed, and keeps ids it was given that are not among the cases', () => {
    const recorded: SplitAssignment = { gone: 'test' };
    const plan = planSplits(CASES.slice(0, 10), CONFIG, recorded);
    expect(plan.added).toHaveLength(10);
    expect(plan.assignment['gone']).toBe('test');
    expect(Object.keys(plan.assignment)).toHaveLength(11);
    expect(recorded).toEqual({ gone: 'test' });
  });

  it('does not change the cases it is given', () => {
    const cases = [makeCase(1, 'a')];
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
