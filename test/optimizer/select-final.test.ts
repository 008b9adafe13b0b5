import { describe, expect, test } from 'vitest';
import { adoptedPrompts, selectFinal } from '../../src/optimizer/select-final.js';
import type { CandidateRecord, CurrentPrompt, IterationRecord, RunState, SplitScore } from '../../src/optimizer/types.js';

function score(split: 'train' | 'validation', total: number, passed: number[]): SplitScore {
  return { split, passed: passed.length, total, score: passed.length / total, categories: {}, passedIds: passed.map((n) => `${split}-${n}`) };
}
const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

function adopted(id: string, version: number, prompt: string, train: SplitScore, validation?: SplitScore): IterationRecord {
  const record: CandidateRecord = { candidate: { id, prompt, hypothesis: '', origin: 'refine', parents: [] }, status: 'accepted', reason: '', fixed: [], broken: [], train, ...(validation ? { validation } : {}), version };
  return { iteration: version - 1, phase: 'train', candidates: [record], acceptedId: id, scoreBefore: 0, scoreAfter: train.score, lateral: false, costUsd: 0 };
}

function state(start: CurrentPrompt, iterations: IterationRecord[]): RunState {
  return { start, current: start, iterations } as unknown as RunState;
}

describe('selectFinal', () => {
  const start: CurrentPrompt = { candidateId: 'start', prompt: 'start prompt', version: 1, train: score('train', 40, []), validation: score('validation', 20, []) };

  test('the best on validation among versions not significantly below the best train score, not the last one', () => {
    const runState = state(start, [
      adopted('i1c1', 2, 'v2 prompt', score('train', 40, range(1, 20)), score('validation', 20, range(1, 10))),
      adopted('i2c1', 3, 'v3 prompt, longer', score('train', 40, range(1, 24)), score('validation', 20, range(1, 12))),
      adopted('i3c1', 4, 'v4 prompt, the longest', score('train', 40, range(1, 26)), score('validation', 20, range(1, 11))),
    ]);
    const picked = selectFinal(runState, 0.05)!;
    expect(picked.selection.by).toBe('validation');
    expect(picked.chosen.version).toBe(3);
    expect(picked.selection.bestTrainVersion).toBe(4);
    // v2 is 6 train cases below v4 with none the other way (p = 0.031): not eligible; the start neither.
    expect(picked.selection.entries.map((e) => [e.version, e.eligible])).toEqual([
      [1, false],
      [2, false],
      [3, true],
      [4, true],
    ]);
    expect(picked.selection.reason).toMatch(/^v3: the best on validation \(60\.0%\) among the 2 of 4 version\(s\)/);
  });

  test('ties on validation go to the higher train score, then to the shorter prompt', () => {
    const runState = state(start, [
      adopted('i1c1', 2, 'short', score('train', 40, range(1, 20)), score('validation', 20, range(1, 10))),
      adopted('i2c1', 3, 'a much longer prompt text', score('train', 40, range(1, 21)), score('validation', 20, range(1, 10))),
      adopted('i3c1', 4, 'a longer prompt text', score('train', 40, range(2, 22)), score('validation', 20, range(1, 10))),
    ]);
    expect(selectFinal(runState, 0.05)!.chosen.version).toBe(4);
  });

  test('without a validation split the best on train is chosen, and the reason says so', () => {
    const noValidation: CurrentPrompt = { ...start, validation: undefined };
    const runState = state(noValidation, [adopted('i1c1', 2, 'v2', score('train', 40, range(1, 10))), adopted('i2c1', 3, 'v3', score('train', 40, range(1, 12)))]);
    const picked = selectFinal(runState, 0.05)!;
    expect(picked.selection.by).toBe('train');
    expect(picked.chosen.version).toBe(3);
    expect(picked.selection.reason).toMatch(/no validation split, so selection used train only/);
  });

  test('no scored version (the budget ran out in the baseline): nothing to select', () => {
    expect(selectFinal(state({ ...start, train: score('train', 0, []) }, []), 0.05)).toBeUndefined();
    expect(adoptedPrompts(state({ ...start, version: 0 }, []))).toEqual([]);
  });

  test('under mean_score eligibility is the paired bootstrap of the train case scores (partial credit, no case passing)', () => {
    const scores = (split: 'train' | 'validation', values: number[]): SplitScore => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const caseScores = Object.fromEntries(values.map((v, i) => [`${split}-${i + 1}`, v]));
      return { split, passed: 0, total: values.length, score: mean, objective: 'mean_score', passRate: 0, meanScore: mean, categories: {}, passedIds: [], caseScores };
    };
    const flat = (n: number, v: number) => Array.from({ length: n }, () => v);
    const begin: CurrentPrompt = { candidateId: 'start', prompt: 'start prompt', version: 1, train: scores('train', flat(20, 0.2)), validation: scores('validation', flat(10, 0.2)) };
    const runState = state(begin, [
      adopted('i1c1', 2, 'v2', scores('train', flat(20, 0.8)), scores('validation', flat(10, 0.5))),
      // 0.1 below v2 on every train case: significantly below, so not eligible despite the best validation.
      adopted('i2c1', 3, 'v3', scores('train', flat(20, 0.7)), scores('validation', flat(10, 0.9))),
      // Below v2 on one train case only: noise, eligible, and better on validation than v2.
      adopted('i3c1', 4, 'v4', scores('train', [0.2, ...flat(19, 0.8)]), scores('validation', flat(10, 0.6))),
    ]);
    const picked = selectFinal(runState, 0.05)!;
    expect(picked.selection).toMatchObject({ by: 'validation', objective: 'mean_score', alpha: 0.05, version: 4, bestTrainVersion: 2 });
    expect(picked.selection.entries.map((e) => [e.version, e.eligible])).toEqual([
      [1, false],
      [2, true],
      [3, false],
      [4, true],
    ]);
    expect(picked.selection.reason).toMatch(/^v4: the best on validation \(mean score 60\.0%\) among the 2 of 4 version\(s\) whose train score is not significantly below the best \(v2, mean score 80\.0%\)/);
  });
});
