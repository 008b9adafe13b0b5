/**
 * What one training iteration of each strategy asks for, for `optimize --dry-run` (see
 * optimizer/project-loop.ts): how many optimizer requests it sends and how many candidates come back
 * to be scored on the full train split. The table is keyed by every strategy name, so a new strategy
 * does not compile until it says what its iterations cost.
 *
 * Approximations: opro's meta-prompt (earlier prompts with scores, three exemplars) is sized as the
 * refinement meta-prompt is (estimate-meta-prompt.ts). pareto scores each parent on a minibatch
 * (`screenCases`, counted as new calls though they are often cut from results already held) and
 * screens each child there: a child screened out costs its minibatch, not the full split, so counting
 * every child on the full split puts pareto's figures at or above what it spends.
 */
import type { OptimizerStrategyName } from '../../spec/types.js';

export interface IterationCalls {
  /** Optimizer requests per iteration (each may be asked once more when its reply cannot be parsed). */
  optimizerRequests: number;
  /** Candidates scored on the full train split per iteration (at most). */
  candidatesScored: number;
  /** Train cases scored per request before the full split (a parent's minibatch). */
  screenCases?: number;
}

export const ITERATION_CALLS: Record<OptimizerStrategyName, (n: number, settings: { minibatch: number }) => IterationCalls> = {
  // N refinements of the current prompt.
  iterative: (n) => ({ optimizerRequests: n, candidatesScored: n }),
  // N children (mutations and crossovers) per generation.
  evolutionary: (n) => ({ optimizerRequests: n, candidatesScored: n }),
  // N prompts written from scratch in the first iteration, then N refinements.
  hybrid: (n) => ({ optimizerRequests: n, candidatesScored: n }),
  // N reflections or merges, each on a parent's minibatch; children screened there, then the full split.
  pareto: (n, { minibatch }) => ({ optimizerRequests: n, candidatesScored: n, screenCases: Math.max(1, minibatch) }),
  // One meta-prompt sampled N times (each sample cached apart): N candidates.
  opro: (n) => ({ optimizerRequests: n, candidatesScored: n }),
};
