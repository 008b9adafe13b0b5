/**
 * What `promptopt bench` plans, records and reports: tasks × strategies × seeds, each run under the
 * same budget; one record per finished run (so an interrupted bench continues where it stopped); and
 * per task a table, paired verdicts and the mean trajectory.
 */
import type { CallBudgetLimits, CallBudgetUsage } from '../runner/call-budget.js';
import type { StopReason } from '../optimizer/types.js';
import type { Objective } from '../spec/types.js';

/** A task of the bench: one spec, with what its suite file says about it. */
export interface BenchTask {
  /** The spec's `name` (unique within a bench; names its folder). */
  id: string;
  specFile: string;
  /** Why the simulator cannot play this task (from the suite file); the task is then skipped on `sim`. */
  needsRealModel?: string;
  /** The budget every run of this task gets. */
  budget: CallBudgetLimits;
  /** The target and the optimizer are the simulator (results are SIMULATED). */
  simulated: { target: boolean; optimizer: boolean };
  /** The spec's objective: what a test score and a verdict measure (pass rate, or mean score with partial credit). */
  objective: Objective;
  /** `provider:model` of the target and the optimizer. */
  models: { target: string; optimizer: string };
  /** Everything that defines the task's results (spec text, prompt, cases, splits, budget): a finished run is reused only when it matches. */
  fingerprint: string;
}

export interface BenchSettings {
  strategies: string[];
  /** Seeds per strategy: seed, seed + 1, ... */
  runs: number;
  seed: number;
  /** Runs at once. */
  parallel: number;
  /** Requests in flight per run (-j); default the spec's concurrency. */
  concurrency?: number;
  /** Significance level of the verdicts. */
  alpha: number;
}

/** One point of a run's trajectory: what it had charged so far, and the best validation score of its versions then. */
export interface TrajectoryPoint {
  targetCalls: number;
  calls: number;
  usd: number;
  score: number;
}

/** A finished run. */
export interface RunRecord {
  task: string;
  strategy: string;
  seed: number;
  runId: string;
  runDir: string;
  stopReason: StopReason | 'unknown';
  iterations: number;
  accepted: number;
  /** The final version's scores (train and validation as the run selected it, test scored once at the end). */
  scores: { train: number; validation?: number; test: number };
  /** Held-out test score per case id. */
  testCases: Record<string, number>;
  /** `run`: the engine scored the test split; `bench`: the budget stopped the run first, and the bench scored it the same way. */
  testScoredBy: 'run' | 'bench';
  usage: CallBudgetUsage;
  trajectory: TrajectoryPoint[];
  wallMs: number;
  finishedAt: string;
}

/** The starting prompt, evaluated once per task the same way as the runs' final versions. */
export interface StartRecord {
  task: string;
  scores: { train: number; validation?: number; test: number };
  testCases: Record<string, number>;
  usage: CallBudgetUsage;
  wallMs: number;
}

export interface BenchBudgetFlags {
  maxTargetCalls?: number;
  maxUsd?: number;
}
