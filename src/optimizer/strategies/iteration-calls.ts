/**
 * What one training iteration of each strategy asks for, for `optimize --dry-run` (see
 * optimizer/project-loop.ts): how many optimizer requests it sends and how many candidates come back
 * to be scored on the full train split. The table is keyed by every strategy name, so a new strategy
 * does not compile until it says what its iterations cost. A strategy that samples several replies
 * per step (OPRO) has more requests than scored candidates' slots only when it screens them; one that
 * screens candidates on a minibatch first (GEPA, Pareto) adds `screenCases` per request.
 */
import type { OptimizerStrategyName } from '../../spec/types.js';

export interface IterationCalls {
  /** Optimizer requests per iteration (each may be asked once more when its reply cannot be parsed). */
  optimizerRequests: number;
  /** Candidates scored on the full train split per iteration (at most). */
  candidatesScored: number;
  /** Train cases each request's candidate is screened on before the full split (none today). */
  screenCases?: number;
}

export const ITERATION_CALLS: Record<OptimizerStrategyName, (candidates: number) => IterationCalls> = {
  // N refinements of the current prompt.
  iterative: (n) => ({ optimizerRequests: n, candidatesScored: n }),
  // N children (mutations and crossovers) per generation.
  evolutionary: (n) => ({ optimizerRequests: n, candidatesScored: n }),
  // N prompts written from scratch in the first iteration, then N refinements.
  hybrid: (n) => ({ optimizerRequests: n, candidatesScored: n }),
};
