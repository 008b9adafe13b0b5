/**
 * The optimization engine: baseline → training phase → validation phase → one held-out test score.
 * A spent budget or an interrupt ends the run cleanly after the calls in flight, keeping the best
 * prompt so far. The test split is scored once, at the end, and nothing about it is ever put into
 * an optimizer request.
 */
import { InterruptedError } from '../errors.js';
import { BudgetExhaustedError } from '../runner/model-caller.js';
import { IncompleteEvalError } from '../runner/run-eval.js';
import type { EvalResult } from '../runner/types.js';
import type { SplitName } from '../spec/types.js';
import { hashValue } from '../util/hash.js';
import type { LoopContext } from './loop-context.js';
import { emptyMemory } from './memory.js';
import { providerFailureSummary, requireScored } from './provider-failures.js';
import { scoreSplit } from './score-split.js';
import { selectFinal } from './select-final.js';
import { runTrainingPhase } from './training-phase.js';
import { runValidationPhase } from './validation-phase.js';
import type { RunState } from './types.js';

/** A fingerprint of everything that defines the task; --resume refuses a changed one. */
export function specFingerprint(context: Pick<LoopContext, 'spec' | 'cases'>): string {
  const { spec, cases } = context;
  return hashValue({
    prompt: spec.prompt.text,
    system: spec.system ?? null,
    user: spec.user ?? null,
    role: spec.promptRole,
    target: { provider: spec.target.provider, model: spec.target.model, temperature: spec.target.temperature ?? null, maxTokens: spec.target.maxTokens },
    defaults: spec.defaultAssert,
    cases: cases.map((c) => [c.id, c.split, c.vars, c.expected ?? null, c.assert, ...(c.threshold === undefined ? [] : [c.threshold])]),
    // What changes how a case is scored; left out at their defaults, so earlier runs keep their fingerprint.
    ...(spec.defaultThreshold === undefined ? {} : { defaultThreshold: spec.defaultThreshold }),
    ...(spec.objective === 'pass_rate' ? {} : { objective: spec.objective }),
  });
}

export function initialState(context: Pick<LoopContext, 'spec' | 'cases' | 'settings'>, runId: string, strategy: RunState['strategy']): RunState {
  const placeholder = { split: 'train' as const, passed: 0, total: 0, score: 0, categories: {}, passedIds: [] };
  const start = { candidateId: 'start', prompt: context.spec.prompt.text, version: 0, train: placeholder };
  return {
    schemaVersion: 1,
    runId,
    specFile: context.spec.file,
    specHash: specFingerprint(context),
    strategy,
    seed: context.settings.seed,
    startedAt: new Date().toISOString(),
    phase: 'baseline',
    iteration: 0,
    stale: 0,
    start,
    current: start,
    memory: emptyMemory(),
    constraints: [],
    iterations: [],
    spend: [],
    wallTimeMs: 0,
  };
}

/** The final prompt's case results, per split: the only results the engine hands back. */
export interface FinalResults {
  train?: EvalResult;
  validation?: EvalResult;
  test?: EvalResult;
}

export interface OptimizationOutcome {
  state: RunState;
  /** Case results of the final version (state.current); a split is absent when it has no cases or was not scored. */
  results: FinalResults;
  /** Splits whose case results could not be collected, and why (e.g. the budget ran out re-scoring them). */
  missing: { split: SplitName; reason: string }[];
}

/**
 * Runs (or continues) the loop until it stops, checkpointing as it goes, the first time before any
 * call. It sets `stoppedAt`, never `finishedAt`: the run is finished once its reports are written,
 * which is the caller's last step. It returns the final version's case results: held since that
 * version was scored, or, for a run that had already stopped (a --resume that only writes its
 * reports), scored again (served by the response cache when it is enabled).
 */
export async function runOptimization(context: LoopContext, options: { resumed?: boolean } = {}): Promise<OptimizationOutcome> {
  const { state, hooks } = context;
  if (state.stoppedAt || state.finishedAt) return { state, ...(await finalResults(context)) }; // the loop is over: only the reports may be missing
  const started = performance.now();
  const elapsedBefore = state.wallTimeMs;
  const writeCheckpoint = hooks.checkpoint;
  const save = async () => {
    state.spend = context.caller.ledger.snapshot();
    state.wallTimeMs = elapsedBefore + (performance.now() - started);
    await writeCheckpoint(state);
  };
  // Phases checkpoint through the context; every checkpoint carries the spend and wall time so far.
  context.hooks = { ...hooks, checkpoint: save };
  context.strategy.restore(state.strategyState ?? null);
  // A resumed run is no longer interrupted: the phase it continues sets the stop reason again.
  if (state.stopReason === 'interrupted') delete state.stopReason;
  hooks.emit({ type: 'run_started', runId: state.runId, strategy: state.strategy, resumed: options.resumed ?? state.phase !== 'baseline' });
  // A run killed before its first call still leaves a checkpoint that --resume can continue.
  await save();
  context.held.keep([state.current.prompt]);

  try {
    if (state.phase === 'baseline') await runBaseline(context);
    if (state.phase === 'baseline' || state.phase === 'train') {
      state.stopReason = await runTrainingPhase(context);
      await save();
    }
    if (state.phase === 'train' || state.phase === 'validation') {
      if (context.settings.validationIterations > 0) await runValidationPhase(context);
      chooseFinalVersion(context);
      state.phase = 'test';
      await save();
    }
    if (state.phase === 'test' && !state.test) await runTest(context);
  } catch (error) {
    const cause = error instanceof IncompleteEvalError ? error.cause : error;
    if (cause instanceof BudgetExhaustedError) {
      state.stopReason = 'budget';
      // Spent during the baseline: the start prompt is still the run's (unscored) best version.
      if (state.start.version === 0) {
        const version = await hooks.writeVersion({
          prompt: state.start.prompt,
          parent: 0,
          hypothesis: 'starting prompt (not scored: the budget ran out during the baseline)',
          train: state.start.train,
        });
        state.start = { ...state.start, version };
        state.current = state.start;
      }
      if (state.phase !== 'test') chooseFinalVersion(context);
    } else if (cause instanceof InterruptedError) {
      // Keep the training phase's reason when it already stopped (interrupted in validation or test).
      state.stopReason ??= 'interrupted';
      await save();
      throw cause;
    } else {
      await save().catch(() => undefined);
      throw error;
    }
  }
  state.stoppedAt = new Date().toISOString();
  hooks.emit({ type: 'stopped', reason: state.stopReason ?? 'max_iterations' });
  await save();
  const collected = await finalResults(context);
  hooks.emit({ type: 'run_finished', state });
  return { state, ...collected };
}

async function runBaseline(context: LoopContext): Promise<void> {
  const { state, hooks } = context;
  hooks.emit({ type: 'phase_started', phase: 'baseline' });
  const [train, validation] = await Promise.all([
    context.evaluate(state.start.prompt, 'train', { phase: 'baseline' }),
    context.evaluate(state.start.prompt, 'validation', { phase: 'baseline' }),
  ]);
  requireScored(train, 'train', 'the starting prompt');
  requireScored(validation, 'validation', 'the starting prompt');
  const trainScore = scoreSplit('train', train.cases, context.spec.objective);
  const validationScore = validation.cases.length ? scoreSplit('validation', validation.cases, context.spec.objective) : undefined;
  const version = await hooks.writeVersion({
    prompt: state.start.prompt,
    parent: 0,
    hypothesis: 'starting prompt',
    train: trainScore,
    validation: validationScore,
  });
  state.start = { candidateId: 'start', prompt: state.start.prompt, version, train: trainScore, validation: validationScore };
  state.current = state.start;
  context.held.set(state.start.prompt, 'train', train);
  if (validation.cases.length) context.held.set(state.start.prompt, 'validation', validation);
  hooks.emit({ type: 'baseline_scored', version, train: trainScore, validation: validationScore });
  state.phase = 'train';
  state.iteration = 0;
  state.stale = 0;
  hooks.emit({ type: 'phase_started', phase: 'train' });
  await hooks.checkpoint(state);
}

/**
 * The loop is over: the final version is chosen among the run's versions (select-final.ts) and
 * becomes the current prompt, the one the held-out test scores and the reports show.
 */
function chooseFinalVersion(context: LoopContext): void {
  const { state } = context;
  const picked = selectFinal(state, context.settings.alpha);
  if (!picked) return;
  state.selection = picked.selection;
  state.current = picked.chosen;
  context.held.keep([picked.chosen.prompt]);
  context.hooks.emit({ type: 'final_selected', selection: picked.selection, current: state.current });
}

async function runTest(context: LoopContext): Promise<void> {
  const { state, hooks } = context;
  // The final version's train and validation results first (held, unless the selection went back to
  // an older version that was not): nothing is scored after the held-out test.
  for (const split of ['train', 'validation'] as const) {
    if (context.hasSplit(split)) await context.resultsOf(state.current.prompt, split, { phase: 'report' });
  }
  hooks.emit({ type: 'phase_started', phase: 'test' });
  const result = await context.evaluate(state.current.prompt, 'test', { phase: 'test' });
  if (result.cases.length === 0) return;
  requireScored(result, 'test', `the final prompt (v${state.current.version})`);
  state.test = scoreSplit('test', result.cases, context.spec.objective);
  context.held.set(state.current.prompt, 'test', result);
  await hooks.recordTestScore(state.current.version, state.test);
  hooks.emit({ type: 'test_scored', score: state.test });
}

/**
 * The final version's results on every split it was scored on: held ones, else scored again (a run
 * resumed only for its reports; the response cache serves them when enabled). A split that cannot
 * be scored now (the budget is spent, the provider fails) is reported missing, never fatal.
 */
async function finalResults(context: LoopContext): Promise<Omit<OptimizationOutcome, 'state'>> {
  const { state } = context;
  const results: FinalResults = {};
  const missing: OptimizationOutcome['missing'] = [];
  const splits: SplitName[] = ['train', 'validation', ...(state.test ? (['test'] as const) : [])];
  context.held.keep([state.current.prompt]);
  for (const split of splits) {
    if (!context.hasSplit(split)) continue;
    try {
      const result = await context.resultsOf(state.current.prompt, split, { phase: 'report' });
      const failed = providerFailureSummary(result, split);
      if (failed) missing.push({ split, reason: failed });
      else results[split] = result;
    } catch (error) {
      const cause = error instanceof IncompleteEvalError ? error.cause : error;
      if (cause instanceof InterruptedError || !(cause instanceof Error)) throw cause;
      missing.push({ split, reason: cause.message });
    }
  }
  return { results, missing };
}

export type { StopReason } from './types.js';
