/** How the final version was chosen, in one paragraph both report writers show above the selection table. Pure. */
import type { FinalSelection } from '../optimizer/types.js';
import { OBJECTIVE_LABELS } from '../runner/objective.js';

export function selectionRule(selection: FinalSelection): string {
  const objective = selection.objective ?? 'pass_rate';
  if (selection.by === 'train') {
    return `Selection used train only: the task has no validation split, so the final version is the best on train (ties: the shorter prompt). Scores are the ${OBJECTIVE_LABELS[objective]} (the objective).`;
  }
  const test = objective === 'mean_score' ? 'a paired bootstrap of the train case scores' : "McNemar's exact test on the train cases";
  return (
    'The final version is the best on validation among the versions whose train score is not significantly below the best train score ' +
    `(${test}, α = ${selection.alpha ?? 0.05}); ties go to the higher train score, then the shorter prompt. Scores are the ${OBJECTIVE_LABELS[objective]} (the objective).`
  );
}
