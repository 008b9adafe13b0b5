/** What the report writers read: the run as the CLI hands it over, and the data they render. */
import type { FailureCategory } from '../assertions/types.js';
import type { Candidate, CandidateStatus, FinalSelection, Phase, RunState, StopReason } from '../optimizer/types.js';
import type { GeneralizationGap } from './generalization-gap.js';
import type { SpendLine } from '../runner/spend-ledger.js';
import type { Objective, OptimizerStrategyName, SplitName } from '../spec/types.js';

export interface ModelRef {
  provider: string;
  model: string;
  simulated: boolean;
}

export interface ReportInput {
  state: RunState;
  task: { name: string; description: string; specFile: string };
  target: ModelRef;
  optimizerModel: ModelRef;
  startPrompt: string;
  finalPrompt: string;
  finalVersion: { version: number; file: string };
  startVersion: number;
  versionsDir: string;
  runDir: string;
  /** Model calls actually made (cache hits excluded). */
  callsMade: number;
  /** Calls served from the response cache. */
  cacheHits: number;
  /** The final prompt's case results (from `cases.json`); absent when none were saved. */
  cases?: CaseRecord[];
}

/** One case scored with the final prompt, as `cases.json` keeps it and the HTML report shows it. */
export interface CaseRecord {
  caseId: string;
  split: SplitName;
  vars: Record<string, unknown>;
  expected?: unknown;
  output: string;
  pass: boolean;
  /** The case's score (partial credit); absent in files written before it was kept. */
  score?: number;
  /** No assertion checked the case: in no figure. */
  unchecked?: boolean;
  /** One per failed assertion. */
  failures: { type: string; category: FailureCategory; reason: string }[];
}

export interface ScoreCell {
  /** The objective's figure (the pass rate or the mean score). */
  score: number;
  passed: number;
  /** Cases checked. */
  total: number;
  /** Both figures, and the cases no assertion checked (absent for runs written before they were kept). */
  passRate?: number;
  meanScore?: number;
  unchecked?: number;
}

/** A named metric (`metric:`) on one split, with the start prompt and with the final prompt. */
export interface MetricRow {
  name: string;
  split: SplitName;
  start?: MetricCell;
  final?: MetricCell;
}

export interface MetricCell {
  cases: number;
  passed: number;
  score: number;
}

/** One row of the summary table: a split, scored with the start prompt and the final prompt. */
export interface SummaryRow {
  split: SplitName;
  start?: ScoreCell;
  final?: ScoreCell;
}

export interface CandidateRow {
  id: string;
  status: CandidateStatus;
  reason: string;
  origin: Candidate['origin'];
  /** Score on the iteration's split (train in the train phase, validation in the validation phase). */
  score?: number;
  train?: number;
  validation?: number;
  hypothesis: string;
  /** Train cases fixed / broken relative to the prompt current at the time. */
  fixed: number;
  broken: number;
  /** Its minibatch screen (pareto): mean case scores of the candidate and of the bar it had to pass. */
  minibatch?: { cases: number; score: number; bar: number; passed: boolean; savedCalls: number };
}

export interface TrajectoryRow {
  iteration: number;
  phase: Phase;
  /** The current prompt's score on the phase's split before and after the iteration. */
  scoreBefore: number;
  scoreAfter: number;
  /** The current prompt's train / validation score after the iteration (absent when not measured). */
  train?: number;
  validation?: number;
  /** Id of the accepted (adopted) candidate; absent when none was. */
  accepted?: string;
  /** The iteration's best candidate was a lateral move (the same score on every split): recorded, not adopted. */
  lateral: boolean;
  lateralId?: string;
  costUsd: number;
  candidates: CandidateRow[];
}

/** Failed train cases per category, with the start prompt and with the final prompt. */
export interface CategoryRow {
  category: FailureCategory;
  before: number;
  after: number;
}

export interface ReportData {
  runId: string;
  task: { name: string; description: string; specFile: string };
  target: ModelRef;
  optimizerModel: ModelRef;
  /** True when the target or the optimizer is the offline simulator. */
  simulated: boolean;
  strategy: OptimizerStrategyName;
  seed: number;
  startedAt: string;
  finishedAt?: string;
  wallTimeMs: number;
  /** Absent when the run has not stopped (a report of a run in progress). */
  stopReason?: StopReason;
  startVersion: number;
  finalVersion: { version: number; file: string };
  versionsDir: string;
  runDir: string;
  /** What `score` is throughout: the spec's objective. */
  objective: Objective;
  baseline: { train: ScoreCell; validation?: ScoreCell };
  final: { train: ScoreCell; validation?: ScoreCell; test?: ScoreCell };
  /** The final version's train score against its validation and test scores. */
  generalization: GeneralizationGap;
  /** How the final version was chosen among the run's versions; absent when the run has not stopped. */
  selection?: FinalSelection;
  /** Iterations per phase, and the lateral moves recorded (not adopted). */
  iterations: { train: number; validation: number; lateral: number };
  /** Minibatch screening (pareto): candidates screened, screened out, and the target calls that saved; absent when none was screened. */
  screening?: { screened: number; screenedOut: number; savedCalls: number };
  summary: SummaryRow[];
  /** Named metrics per split, start and final; empty when no assertion names one. */
  metrics: MetricRow[];
  trajectory: TrajectoryRow[];
  categories: CategoryRow[];
  lessons: string[];
  /** By role and model. */
  spend: SpendLine[];
  /**
   * costUsd is what the run paid (reservedCalls of its calls at their reservation: cut off by a kill
   * or aborted); replayed calls came from the cache, paid by this run before (not paid again); saved
   * calls came from the cache, paid by someone else (an earlier run, an eval).
   */
  totals: {
    costUsd: number;
    inputTokens: number;
    outputTokens: number;
    unknownCostCalls: number;
    reservedCalls: number;
    replayedCalls: number;
    replayedUsd: number;
    savedCalls: number;
    savedUsd: number;
  };
  calls: { made: number; cacheHits: number; /** cacheHits / (made + cacheHits), 0 with no calls. */ hitRate: number };
  startPrompt: string;
  finalPrompt: string;
  changed: boolean;
  /** Unified diff start -> final; headers only when unchanged. */
  diffFromStart: string;
  /** The final prompt's case results, train then validation then test; absent when none were saved. */
  cases?: CaseRecord[];
}
