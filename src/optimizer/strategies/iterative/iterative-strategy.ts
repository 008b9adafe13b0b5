/** Iterative refinement (the default): N refinements of the current prompt, each with its own direction. */
import { candidateDirections } from '../../directions.js';
import type { Proposal, ProposalContext, Strategy } from '../types.js';

export class IterativeStrategy implements Strategy {
  readonly name = 'iterative' as const;

  propose(context: ProposalContext): Proposal[] {
    return refineProposals(context);
  }

  observe(): void {}

  snapshot(): unknown {
    return null;
  }

  restore(): void {}
}

/** Refinement requests for the current prompt (shared with the hybrid strategy's second phase). */
export function refineProposals(context: ProposalContext): Proposal[] {
  const directions = candidateDirections(context.analysis, context.candidates, context.iteration, { descriptive: false });
  return directions.map((direction) => ({
    request: { kind: 'refine', current: context.current.prompt, feedback: context.feedback, memory: context.memory, direction },
    origin: 'refine',
    direction,
    parents: [context.current.candidateId],
  }));
}
