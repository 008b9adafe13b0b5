/**
 * The optimizer's data: candidates, per-iteration records, memory, the checkpointed run state, and
 * the typed events the engine emits (the terminal view, the trace and the reports consume them).
 */
import type { FailureCategory } from '../assertions/types.js';
import type { SpendLine } from '../runner/spend-ledger.js';
import type { MetricSummary } from '../runner/types.js';
import type { Objective, OptimizerStrategyName, SplitName } from '../spec/types.js';

export type Phase = 'baseline' | 'train' | 'validation' | 'test';

export type StopReason = 'converged' | 'max_iterations' | 'patience' | 'budget' | 'interrupted';

/** A proposed prompt, before scoring. */
export interface Candidate {
  /** e.g. `i3c2` = iteration 3, candidate 2. */
  id: string;
  prompt: string;
  /** The optimizer's stated hypothesis: what it changed and why. */
  hypothesis: string;
  /**
   * How it was made: `reflection` (pareto: a parent reflected on the failures of a minibatch), `merge`
   * (pareto: two front members combined), `sample` (opro: one sample of the scored-history meta-prompt).
   */
  origin: 'start' | 'refine' | 'initial' | 'mutation' | 'crossover' | 'reflection' | 'merge' | 'sample';
  /** The direction it was asked to take (a failure group to attack first, a rewriting style...). */
  direction?: string;
  /** Candidate ids of its parents (two for a crossover). */
  parents: string[];
}

/** Scores of one prompt on one split. */
export interface SplitScore {
  split: SplitName;
  passed: number;
  /** Cases checked; unchecked ones (no assertion applies) are in no figure but `unchecked`. */
  total: number;
  /** The objective's value: `passRate` or `meanScore`, as the spec's `objective:` says. */
  score: number;
  /** Which figure `score` is (absent in checkpoints written before objectives: pass_rate). */
  objective?: Objective;
  /** Both figures, always (absent in older checkpoints, where `score` was the pass rate). */
  passRate?: number;
  meanScore?: number;
  unchecked?: number;
  /** Named metrics (`metric:`) on this split. */
  metrics?: MetricSummary[];
  /** Failed cases per category (a case may count in several). */
  categories: Partial<Record<FailureCategory, number>>;
  /** Ids of cases that passed, for fixed/broken bookkeeping. */
  passedIds: string[];
  /** Under `mean_score`: each checked case's score, for the paired bootstrap on compact scores (the final selection). */
  caseScores?: Record<string, number>;
}

export type CandidateStatus =
  | 'accepted'
  | 'rejected' // scored, not better
  | 'invalid' // dropped or invented a template variable, or an unparseable response
  | 'breaks_train' // validation phase: regressed a train case
  | 'hurts_validation' // training phase: lowered validation by more than noise
  | 'not_significant' // --accept significant: no paired-test evidence
  | 'lateral' // the same score on every split: recorded, not adopted (no version)
  | 'unscored' // provider errors after retries on some of its cases: no score, never accepted
  | 'screened_out'; // pareto: no gain over its parent on its minibatch, so never scored on the full split

export interface CandidateRecord {
  candidate: Candidate;
  status: CandidateStatus;
  reason: string;
  train?: SplitScore;
  validation?: SplitScore;
  /** Train case ids this candidate fixed / broke relative to the current prompt. */
  fixed: string[];
  broken: string[];
  /** The prompt version it became (adopted candidates only). */
  version?: number;
  /** Its screening on a minibatch of train cases before the full split (pareto). */
  minibatch?: MinibatchScreen;
}

/** A candidate's score on its minibatch against what it had to beat there (its parent's, or the better merge parent's). */
export interface MinibatchScreen {
  caseIds: string[];
  /** Mean case score of the candidate, and of the bar, on those cases. */
  score: number;
  bar: number;
  /** `better`: strictly above the bar (a reflection); `at_least`: at or above it (a merge). */
  rule: 'better' | 'at_least';
  passed: boolean;
  /** Target calls a screened-out candidate did not make: the rest of the train split (times repeat). */
  savedCalls: number;
}

export interface IterationRecord {
  iteration: number;
  phase: Phase;
  candidates: CandidateRecord[];
  /** The candidate adopted as the new current prompt (and written as a version). */
  acceptedId?: string;
  /** Score of the current prompt on the phase's split before and after this iteration. */
  scoreBefore: number;
  scoreAfter: number;
  /**
   * A lateral move: the iteration's best candidate had the same score as the current prompt on every
   * split. It is recorded here (lateralId), not adopted: the current prompt stays, no version is written.
   * (Checkpoints written before this rule mark an adopted equal-score candidate this way.)
   */
  lateral: boolean;
  lateralId?: string;
  costUsd: number;
}

/** One-line lessons (✓ helped, ✗ regressed), deduped and bounded, plus the last iterations. */
export interface OptimizationMemory {
  lessons: string[];
  recent: IterationSummary[];
}

export interface IterationSummary {
  iteration: number;
  phase: Phase;
  accepted: boolean;
  change: string;
  targetIssues: string;
  scoreBefore: number;
  scoreAfter: number;
  fixed: number;
  broken: number;
}

/** A train case that passed before and broke with a validation-phase candidate. */
export interface TrainConstraint {
  caseId: string;
  input: string;
  expected: string;
  actual: string;
}

export interface CurrentPrompt {
  candidateId: string;
  prompt: string;
  version: number;
  train: SplitScore;
  validation?: SplitScore;
}

/** Everything needed to continue a run; written after every iteration. */
export interface RunState {
  schemaVersion: 1;
  runId: string;
  specFile: string;
  /** Hash of the spec and its cases: --resume refuses a changed task. */
  specHash: string;
  strategy: OptimizerStrategyName;
  seed: number;
  startedAt: string;
  phase: Phase;
  /** Iterations completed in the current phase. */
  iteration: number;
  /** Iterations without improvement in the current phase. */
  stale: number;
  start: CurrentPrompt;
  current: CurrentPrompt;
  memory: OptimizationMemory;
  constraints: TrainConstraint[];
  iterations: IterationRecord[];
  /** Strategy-specific state (population, hybrid phase switch...). */
  strategyState?: unknown;
  /** How the final version was chosen among the run's versions (set when the loop ends). */
  selection?: FinalSelection;
  test?: SplitScore;
  stopReason?: StopReason;
  /** The loop ended (set by the engine's last checkpoint); the reports may not be written yet. */
  stoppedAt?: string;
  /** The run is done: its reports and case results are written (set after them, last). */
  finishedAt?: string;
  spend: SpendLine[];
  wallTimeMs: number;
}

/** One version the final selection considered. */
export interface SelectionEntry {
  version: number;
  candidateId: string;
  train: number;
  validation?: number;
  promptChars: number;
  /** Its train score is not significantly below the best train score. */
  eligible: boolean;
}

/**
 * The final version: the best on validation among the run's versions whose train score is not
 * significantly below the best train score (ties: the shorter prompt), or, without a validation
 * split, the best on train (`by: 'train'`).
 */
export interface FinalSelection {
  by: 'validation' | 'train';
  /**
   * The figure the entries' scores are in, and so the paired test eligibility used (McNemar's exact
   * test for pass_rate, a paired bootstrap for mean_score), at `alpha`. Absent in checkpoints written
   * before objectives: pass_rate, 0.05.
   */
  objective?: Objective;
  alpha?: number;
  version: number;
  candidateId: string;
  /** The version with the best train score (what eligibility is measured against). */
  bestTrainVersion: number;
  entries: SelectionEntry[];
  /** One sentence: why this version. */
  reason: string;
}

export type OptimizerEvent =
  | { type: 'run_started'; runId: string; strategy: OptimizerStrategyName; resumed: boolean }
  | { type: 'phase_started'; phase: Phase }
  | { type: 'baseline_scored'; version: number; train: SplitScore; validation?: SplitScore }
  | { type: 'iteration_started'; phase: Phase; iteration: number }
  | { type: 'candidates_proposed'; iteration: number; count: number; invalid: number; invalidReasons: string[] }
  | { type: 'candidate_scored'; iteration: number; record: CandidateRecord }
  | { type: 'iteration_finished'; record: IterationRecord; current: CurrentPrompt }
  /** `reused`: the prompt already was this version (the same text), so no file was written. */
  | { type: 'version_written'; version: number; file: string; reused: boolean }
  | { type: 'budget_warning'; spentUsd: number; maxUsd: number }
  | { type: 'final_selected'; selection: FinalSelection; current: CurrentPrompt }
  | { type: 'test_scored'; score: SplitScore }
  | { type: 'stopped'; reason: StopReason }
  | { type: 'run_finished'; state: RunState };
