/**
 * Hybrid: the first iteration explores (N diverse prompts written from scratch in different styles);
 * after it the strategy switches, once, to iterative refinement of the winner.
 */
import { initialStyles } from '../../directions.js';
import { refineProposals } from '../iterative/iterative-strategy.js';
import type { Proposal, ProposalContext, Strategy } from '../types.js';

export class HybridStrategy implements Strategy {
  readonly name = 'hybrid' as const;
  private explored = false;

  get phase(): 'explore' | 'refine' {
    return this.explored ? 'refine' : 'explore';
  }

  propose(context: ProposalContext): Proposal[] {
    if (this.explored) return refineProposals(context);
    return initialStyles(context.candidates).map((direction) => ({
      request: { kind: 'initial', start: context.current.prompt, feedback: context.feedback, direction },
      origin: 'initial',
      direction,
      parents: [context.current.candidateId],
    }));
  }

  observe(): void {
    this.explored = true;
  }

  snapshot(): unknown {
    return { explored: this.explored };
  }

  restore(state: unknown): void {
    this.explored = Boolean((state as { explored?: boolean } | null)?.explored);
  }
}
