/**
 * A strategy decides what to ask the optimizer model for in each training iteration; the engine
 * generates, scores, selects and accepts the same way for all of them (run-iteration.ts), through the
 * same runner, cache, budget and reports, so their results are comparable. Several samples per step
 * (opro) are several proposals of one iteration; a proposal may carry a minibatch screen (pareto),
 * which the training plan's first Stage applies before the full split.
 */
import type { FailureAnalysis } from '../../feedback/types.js';
import type { CaseResult, EvalResult } from '../../runner/types.js';
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
  /** The run's seed (strategies draw from it per iteration, so a resumed iteration draws the same). */
  seed: number;
  /** A prompt's results on some train cases (a minibatch): cut from results at hand, else evaluated (within the budget). */
  evaluateTrainCases: (prompt: string, caseIds: readonly string[]) => Promise<EvalResult>;
  /**
   * Train feedback for some case results (a minibatch), under `title`, and the cases among them that
   * pass as "keep passing" blocks; honours --no-feedback and the variables optimizer requests may show.
   */
  feedbackOn: (cases: readonly CaseResult[], title: string) => { feedback: string; passing: string | undefined };
  /** Case results as optimizer requests may show them (see LoopContext.forOptimizer); undefined under --no-feedback. */
  showable: (cases: readonly CaseResult[]) => CaseResult[] | undefined;
  /** The spec's optimizer temperature, if it sets one. */
  temperature?: number;
  /** `pareto`: minibatch size, and whether merges are proposed. */
  minibatch: number;
  merge: boolean;
}

/**
 * A proposal's screen: the candidate is scored on these train cases first, and goes on to the full
 * split only if its mean case score there beats the bar (`better`) or reaches it (`at_least`).
 */
export interface MinibatchGate {
  caseIds: string[];
  /** The parent's mean case score on those cases (a merge: the better parent's). */
  bar: number;
  rule: 'better' | 'at_least';
}

/** A train case's score, by case id, for the prompts an iteration scored on the whole train split. */
export type CaseScores = ReadonlyMap<string, number>;

/** One request to the optimizer model and what the candidate it yields will be. */
export interface Proposal {
  request: MetaPromptRequest;
  origin: Candidate['origin'];
  direction: string;
  parents: string[];
  /** Screen the candidate on a minibatch before the full split (pareto). */
  gate?: MinibatchGate;
}

export interface Strategy {
  readonly name: OptimizerStrategyName;
  propose(context: ProposalContext): Proposal[] | Promise<Proposal[]>;
  /**
   * Sees every candidate of an iteration (population bookkeeping), with the per-case train scores of
   * those scored on the whole train split.
   */
  observe(records: CandidateRecord[], current: CurrentPrompt, caseScores?: (candidateId: string) => CaseScores | undefined): void;
  /** Serializable state for checkpoints, and its restore. */
  snapshot(): unknown;
  restore(state: unknown): void;
}
