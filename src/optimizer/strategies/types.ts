/**
 * A strategy decides what to ask the optimizer model for in each training iteration; the engine
 * generates, scores, selects and accepts the same way for all of them (run-iteration.ts), through the
 * same runner, cache, budget and reports, so their results are comparable. Room for more: several
 * samples per step (OPRO) are several proposals of one iteration; a candidate screened on a minibatch
 * before the full split (GEPA) is one more scoring Stage in front of the training plan's stages.
 */
import type { FailureAnalysis } from '../../feedback/types.js';
import type { EvalResult } from '../../runner/types.js';
import type { OptimizerStrategyName } from '../../spec/types.js';
import type { MetaPromptRequest } from '../meta-prompt.js';
import type { Candidate, CandidateRecord, CurrentPrompt, OptimizationMemory } from '../types.js';

export interface ProposalContext {
  iteration: number;
  candidates: number;
  current: CurrentPrompt;
  /** The current prompt's train results and their analysis. */
  results: EvalResult;
  analysis: FailureAnalysis;
  /** Train feedback text for the current prompt (already within budget). */
  feedback: string;
  memory: OptimizationMemory;
  /** Renders train feedback for any other scored prompt (a population member). */
  feedbackFor: (candidateId: string) => string | undefined;
}

/** One request to the optimizer model and what the candidate it yields will be. */
export interface Proposal {
  request: MetaPromptRequest;
  origin: Candidate['origin'];
  direction: string;
  parents: string[];
}

export interface Strategy {
  readonly name: OptimizerStrategyName;
  propose(context: ProposalContext): Proposal[];
  /** Sees every scored candidate of an iteration (population bookkeeping). */
  observe(records: CandidateRecord[], current: CurrentPrompt): void;
  /** Serializable state for checkpoints, and its restore. */
  snapshot(): unknown;
  restore(state: unknown): void;
}
