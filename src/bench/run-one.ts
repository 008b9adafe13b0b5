/**
 * One bench run: a full optimize of the task (the library's optimizeTask, the same path as
 * `promptopt optimize`) with the strategy and seed forced, the task's budget enforced by a
 * CallBudget at the model caller, the runs' shared cache, and its versions and run folder inside the
 * bench folder. When the budget stops the run before its held-out test, the bench scores the final
 * version on test itself, outside the budget, exactly as the engine would have: no run is left
 * without its test score, and none pays for it from its budget.
 */
import { selectSplit } from '../dataset/select-split.js';
import { requireScored } from '../optimizer/provider-failures.js';
import { scoreSplit } from '../optimizer/score-split.js';
import type { CurrentPrompt } from '../optimizer/types.js';
import { CallBudget } from '../runner/call-budget.js';
import type { ResponseCache } from '../runner/response-cache.js';
import { runEval } from '../runner/run-eval.js';
import type { EvalResult } from '../runner/types.js';
import { openOptimizeTask, type OptimizeTask } from '../workflows/optimize-task.js';
import { caseValues } from './case-values.js';
import type { BenchTask, RunRecord, TrajectoryPoint } from './types.js';
import { specChecks } from '../runner/spec-checks.js';

export interface RunOneInput {
  task: BenchTask;
  strategy: string;
  seed: number;
  folders: { versionsDir: string; runsDir: string };
  cache?: ResponseCache;
  env: NodeJS.ProcessEnv;
  trustSpec?: boolean;
  signal?: AbortSignal;
  concurrency?: number;
  warn: (message: string) => void;
}

export async function runOne(input: RunOneInput): Promise<RunRecord> {
  const { task, strategy, seed } = input;
  const started = performance.now();
  const budget = new CallBudget(task.budget);
  const optimize = await openOptimizeTask(
    task.specFile,
    {
      strategy,
      seed,
      ...(input.concurrency ? { concurrency: input.concurrency } : {}),
      ...(input.cache ? { cache: input.cache } : { noCache: true }),
      folders: input.folders,
      // Proposals are this run's own: never shared with another strategy or seed, replayed if the run is restarted.
      optimizerNamespace: `bench:${task.id}:${strategy}:${seed}`,
      trace: 'off',
      env: input.env,
      trustSpec: input.trustSpec,
    },
    { warn: input.warn, signal: input.signal },
  );
  optimize.caller.configure({ callBudget: budget });

  const trajectory: TrajectoryPoint[] = [];
  let best = -1;
  const note = (prompt: Pick<CurrentPrompt, 'train' | 'validation'>) => {
    best = Math.max(best, prompt.validation?.score ?? prompt.train.score);
    const { charged } = budget.usage();
    trajectory.push({
      targetCalls: charged.target.calls,
      calls: charged.target.calls + charged.optimizer.calls + charged.judge.calls,
      usd: charged.target.costUsd + charged.optimizer.costUsd + charged.judge.costUsd,
      score: best,
    });
  };
  const outcome = await optimize.run({
    onEvent: (event) => {
      if (event.type === 'baseline_scored') note(event);
      if (event.type === 'iteration_finished') note(event.current);
    },
  });
  const { state } = outcome;
  let test = outcome.results.test;
  const testScoredBy = test ? 'run' : 'bench';
  if (!test) {
    optimize.caller.configure({ journal: undefined }); // the run closed its spend journal; the bench's test calls are its own
    test = await scoreTest(optimize, state.current.prompt, input.signal);
  }
  // The last point: everything the run was charged (its best score so far is unchanged since its last iteration).
  const { charged } = budget.usage();
  if (best >= 0) {
    const usd = charged.target.costUsd + charged.optimizer.costUsd + charged.judge.costUsd;
    trajectory.push({ targetCalls: charged.target.calls, calls: charged.target.calls + charged.optimizer.calls + charged.judge.calls, usd, score: best });
  }
  return {
    task: task.id,
    strategy,
    seed,
    runId: outcome.runId,
    runDir: outcome.runDir,
    stopReason: state.stopReason ?? 'unknown',
    iterations: state.iterations.length,
    accepted: state.iterations.filter((i) => i.acceptedId).length,
    scores: {
      train: state.current.train.score,
      ...(state.current.validation ? { validation: state.current.validation.score } : {}),
      test: scoreSplit('test', test.cases, optimize.spec.objective).score,
    },
    testCases: caseValues(test.cases, optimize.spec.objective),
    testScoredBy,
    usage: budget.usage(),
    trajectory,
    wallMs: Math.round(performance.now() - started),
    finishedAt: new Date().toISOString(),
  };
}

/** The final version on the held-out test split, as the engine scores it (phase `test`: outside the budget). */
async function scoreTest(optimize: OptimizeTask, prompt: string, signal: AbortSignal | undefined): Promise<EvalResult> {
  const { spec } = optimize;
  const result = await runEval({
    cases: selectSplit(optimize.cases, 'test'),
    prompt,
    ...specChecks(spec),
    target: optimize.target,
    judge: optimize.judge,
    caller: optimize.caller,
    concurrency: optimize.settings.concurrency,
    repeat: optimize.settings.repeat,
    signal,
    meta: { phase: 'test' },
  });
  requireScored(result, 'test', 'the final prompt');
  return result;
}
