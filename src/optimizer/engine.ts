/**
 * The optimization engine: baseline → training phase → validation phase → one held-out test score.
 * A spent budget or an interrupt ends the run cleanly after the calls in flight, keeping the best
 * prompt so far. The test split is scored once, at the end, and nothing about it is ever put into
 * an optimizer request.
 */
import { InterruptedError } from '../errors.js';
import { BudgetExhaustedError } from '../runner/model-caller.js';
import { IncompleteEvalError } from '../runner/run-eval.js';
import { hashValue } from '../util/hash.js';
import type { LoopContext } from './loop-context.js';
import { emptyMemory } from './memory.js';
import { requireScored } from './provider-failures.js';
import { scoreSplit } from './score-split.js';
import { runTrainingPhase } from './training-phase.js';
import { runValidationPhase } from './validation-phase.js';
import type { RunState, StopReason } from './types.js';

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

/**
 * Runs (or continues) the loop until it stops, checkpointing as it goes, the first time before any
 * call. It sets `stoppedAt`, never `finishedAt`: the run is finished once its reports are written,
 * which is the caller's last step.
 */
export async function runOptimization(context: LoopContext, options: { resumed?: boolean } = {}): Promise<RunState> {
  const { state, hooks } = context;
  if (state.stoppedAt || state.finishedAt) return state; // the loop is over: only the reports may be missing
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

  try {
    if (state.phase === 'baseline') await runBaseline(context);
    if (state.phase === 'baseline' || state.phase === 'train') {
      state.stopReason = await runTrainingPhase(context);
      await save();
    }
    if (state.phase === 'train' || state.phase === 'validation') {
      if (context.settings.validationIterations > 0) await runValidationPhase(context);
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
  hooks.emit({ type: 'run_finished', state });
  return state;
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
  hooks.emit({ type: 'baseline_scored', version, train: trainScore, validation: validationScore });
  state.phase = 'train';
  state.iteration = 0;
  state.stale = 0;
  hooks.emit({ type: 'phase_started', phase: 'train' });
  await hooks.checkpoint(state);
}

async function runTest(context: LoopContext): Promise<void> {
  const { state, hooks } = context;
  hooks.emit({ type: 'phase_started', phase: 'test' });
  const result = await context.evaluate(state.current.prompt, 'test', { phase: 'test' });
  if (result.cases.length === 0) return;
  requireScored(result, 'test', `the final prompt (v${state.current.version})`);
  state.test = scoreSplit('test', result.cases, context.spec.objective);
  await hooks.recordTestScore(state.current.version, state.test);
  hooks.emit({ type: 'test_scored', score: state.test });
}

export type { StopReason };
