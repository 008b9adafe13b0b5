import { describe, expect, test } from 'vitest';
import { describeGap, GAP_WARNING_POINTS, gapUnit, generalizationGap } from '../../src/report/generalization-gap.js';

describe('generalizationGap', () => {
  test('train minus validation and test in points; a warning only over 15 points', () => {
    expect(GAP_WARNING_POINTS).toBe(15);
    const near = generalizationGap({ train: 0.62, validation: 0.5 });
    expect(near).toEqual({ objective: 'pass_rate', train: 0.62, validation: 0.5, validationPoints: 12 });
    expect(describeGap(near)).toBe('train − validation +12.0 pts');
    // Exactly 15 points is not over the line.
    expect(generalizationGap({ train: 0.65, validation: 0.5 }).warning).toBeUndefined();
    const far = generalizationGap({ train: 0.633, validation: 0.383, test: 0.267 });
    expect(far).toMatchObject({ validationPoints: 25, testPoints: 36.6 });
    expect(far.warning).toBe(
      'train is 25.0 points above validation and 36.6 points above the held-out test (more than 15): the prompt fits the cases it was tuned on much better than cases it never saw, so expect new data to score nearer the test score than the train score',
    );
  });

  test('train below validation is no warning; nothing to compare is no gap', () => {
    expect(generalizationGap({ train: 0.5, validation: 1 })).toEqual({ objective: 'pass_rate', train: 0.5, validation: 1, validationPoints: -50 });
    expect(describeGap(generalizationGap({ train: 0.4 }))).toBe('');
  });

  test('the points are in the objective\'s figure, and say which', () => {
    const gap = generalizationGap({ train: 0.8, validation: 0.55 }, 'mean_score');
    expect(gap).toMatchObject({ objective: 'mean_score', validationPoints: 25 });
    expect(gapUnit(gap)).toBe('mean score points');
    expect(gapUnit(generalizationGap({ train: 0.8 }))).toBe('pass rate points');
  });
});
