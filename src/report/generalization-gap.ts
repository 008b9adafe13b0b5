/**
 * The generalization gap of a prompt: how far its train score is above its validation score (and
 * the held-out test score, once there is one), in percentage points of the objective's figure (the
 * pass rate or the mean score, said with the gap), with a warning in plain words when train is ahead
 * by more than GAP_WARNING_POINTS. Pure; the live view, the closing summary and the reports all say
 * it the same way.
 */
import { OBJECTIVE_LABELS } from '../runner/objective.js';
import type { Objective } from '../spec/types.js';

export const GAP_WARNING_POINTS = 15;

export interface GeneralizationGap {
  /** The figure the scores and points are in. */
  objective: Objective;
  train: number;
  validation?: number;
  test?: number;
  /** (train − validation) × 100; absent without a validation score. */
  validationPoints?: number;
  /** (train − test) × 100; absent without a test score. */
  testPoints?: number;
  /** Set when train is more than GAP_WARNING_POINTS above validation or test. */
  warning?: string;
}

export function generalizationGap(scores: { train: number; validation?: number; test?: number }, objective: Objective = 'pass_rate'): GeneralizationGap {
  const points = (other: number | undefined) => (other === undefined ? undefined : round1((scores.train - other) * 100));
  const validationPoints = points(scores.validation);
  const testPoints = points(scores.test);
  const over = [
    validationPoints !== undefined && validationPoints > GAP_WARNING_POINTS ? `${validationPoints.toFixed(1)} points above validation` : '',
    testPoints !== undefined && testPoints > GAP_WARNING_POINTS ? `${testPoints.toFixed(1)} points above the held-out test` : '',
  ].filter(Boolean);
  return {
    objective,
    ...scores,
    ...(validationPoints !== undefined ? { validationPoints } : {}),
    ...(testPoints !== undefined ? { testPoints } : {}),
    ...(over.length > 0
      ? {
          warning: `train is ${over.join(' and ')} (more than ${GAP_WARNING_POINTS}): the prompt fits the cases it was tuned on much better than cases it never saw, so expect new data to score nearer ${scores.test !== undefined ? 'the test' : 'the validation'} score than the train score`,
        }
      : {}),
  };
}

/** `+25.0 pts`, `-3.0 pts`, `±0 pts`. */
export function formatPoints(points: number): string {
  if (Math.abs(points) < 0.05) return '±0 pts';
  return `${points > 0 ? '+' : ''}${points.toFixed(1)} pts`;
}

/** "train − validation +25.0 pts, train − test +30.2 pts", or '' when there is nothing to compare. */
export function describeGap(gap: GeneralizationGap): string {
  const parts = [
    gap.validationPoints !== undefined ? `train − validation ${formatPoints(gap.validationPoints)}` : '',
    gap.testPoints !== undefined ? `train − test ${formatPoints(gap.testPoints)}` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

/** What the points are points of: `pass rate points`, `mean score points`. */
export function gapUnit(gap: Pick<GeneralizationGap, 'objective'>): string {
  return `${OBJECTIVE_LABELS[gap.objective]} points`;
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
