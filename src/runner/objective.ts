/** The spec's `objective:` applied to a set of figures: which one gates, selects and decides. */
import type { Objective } from '../spec/types.js';

export interface ObjectiveFigures {
  /** Share of (checked) cases that pass, 0..1 (with repeat: mean fraction of samples that pass). */
  passRate: number;
  /** Mean of the (checked) cases' scores, 0..1: partial credit, weights. */
  meanScore: number;
}

export function objectiveValue(figures: ObjectiveFigures, objective: Objective): number {
  return objective === 'mean_score' ? figures.meanScore : figures.passRate;
}

/** How the objective is named in tables and messages. */
export const OBJECTIVE_LABELS: Record<Objective, string> = { pass_rate: 'pass rate', mean_score: 'mean score' };
