/**
 * How many optimizer requests and split evaluations the loop makes, for three runs of the configured
 * loop (engine.ts, run-iteration.ts, training-phase.ts, validation-phase.ts, rules/stop-rules.ts):
 *
 * - baseline: the starting prompt on train and validation; the final version on test, once.
 * - a training iteration: the strategy's requests (strategies/iteration-calls.ts), its candidates on
 *   train, and those that pass the train rules on validation too. The current prompt is never
 *   scored again (its results are held).
 * - a validation iteration: N requests, the candidates on train first, those that break no train
 *   case on validation.
 *
 * low: the first iteration's best candidate passes every train and validation case, so both phases
 * stop there (converged). expected: the training phase adopts for `patience` iterations, then stops
 * after `patience` without a gain; the validation phase runs until patience stops it; half the
 * candidates reach the second split. high: every iteration of both phases, every candidate scored on
 * both splits. worst: high, with every optimizer reply asked for twice (the first could not be parsed).
 * Fewer calls than low: a starting prompt that already passes every train case (no iteration), or
 * candidates refused before scoring (the same prompt twice, a variable dropped).
 */
import type { OptimizerStrategyName } from '../spec/types.js';
import type { LoopSettings } from './loop-context.js';
import { ITERATION_CALLS } from './strategies/iteration-calls.js';

export type ScenarioName = 'low' | 'expected' | 'high' | 'worst';
export const SCENARIOS: readonly ScenarioName[] = ['low', 'expected', 'high', 'worst'];

/** Cases per split (samples not counted). */
export interface SplitSizes {
  train: number;
  validation: number;
  test: number;
}

export interface LoopRun {
  scenario: ScenarioName;
  trainingIterations: number;
  validationIterations: number;
  optimizerCalls: number;
  /** Whole-split evaluations of candidates (each case once per sample), per split. */
  candidateEvaluations: { train: number; validation: number };
  /** Train cases scored in screening, summed over the run (0 until a strategy screens). */
  screenedCases: number;
  /** The starting prompt on train and validation, the final one on test: one evaluation each. */
  baselineEvaluations: { train: number; validation: number };
  testEvaluations: number;
}

type Settings = Pick<LoopSettings, 'candidates' | 'maxIterations' | 'validationIterations' | 'patience' | 'minibatch'>;

export function projectLoop(strategy: OptimizerStrategyName, settings: Settings, sizes: SplitSizes): Record<ScenarioName, LoopRun> {
  const perIteration = ITERATION_CALLS[strategy](settings.candidates, settings);
  const n = settings.candidates;
  const hasValidation = sizes.validation > 0;
  const validationPhase = hasValidation ? settings.validationIterations : 0;
  const half = (k: number) => Math.ceil(k / 2);
  const run = (
    scenario: ScenarioName,
    training: number,
    validation: number,
    onSecondSplit: (scored: number) => number,
    asks: number,
  ): LoopRun => ({
    scenario,
    trainingIterations: training,
    validationIterations: validation,
    optimizerCalls: asks * (training * perIteration.optimizerRequests + validation * n),
    candidateEvaluations: {
      train: training * perIteration.candidatesScored + validation * n,
      validation: hasValidation ? training * onSecondSplit(perIteration.candidatesScored) + validation * onSecondSplit(n) : 0,
    },
    screenedCases: training * perIteration.optimizerRequests * (perIteration.screenCases ?? 0),
    baselineEvaluations: { train: 1, validation: hasValidation ? 1 : 0 },
    testEvaluations: sizes.test > 0 ? 1 : 0,
  });
  return {
    low: run('low', Math.min(1, settings.maxIterations), 0, () => 1, 1),
    expected: run('expected', Math.min(settings.maxIterations, 2 * settings.patience), Math.min(validationPhase, settings.patience), half, 1),
    high: run('high', settings.maxIterations, validationPhase, (k) => k, 1),
    worst: run('worst', settings.maxIterations, validationPhase, (k) => k, 2),
  };
}
