/**
 * The starting prompt's row: the spec's prompt scored once on every split, through the cache the
 * runs share, the same way each run's final version is scored (the same runner, cases and checks).
 * Its train and validation calls are the baseline every run then finds in the cache.
 */
import { selectSplit } from '../dataset/select-split.js';
import { requireScored } from '../optimizer/provider-failures.js';
import { scoreSplit } from '../optimizer/score-split.js';
import { CallBudget } from '../runner/call-budget.js';
import type { ResponseCache } from '../runner/response-cache.js';
import { runEval } from '../runner/run-eval.js';
import type { EvalResult } from '../runner/types.js';
import { openTaskSession } from '../session/task-session.js';
import type { SplitName } from '../spec/types.js';
import { caseValues } from './case-values.js';
import type { BenchTask, StartRecord } from './types.js';
import { specChecks } from '../runner/spec-checks.js';

export interface ScoreStartInput {
  cache?: ResponseCache;
  env: NodeJS.ProcessEnv;
  trustSpec?: boolean;
  signal?: AbortSignal;
  concurrency?: number;
  warn: (message: string) => void;
}

export async function scoreStart(task: BenchTask, input: ScoreStartInput): Promise<StartRecord> {
  const started = performance.now();
  const meter = new CallBudget();
  const session = await openTaskSession(task.specFile, {
    warn: input.warn,
    env: input.env,
    trustSpec: input.trustSpec,
    ...(input.concurrency ? { concurrency: input.concurrency } : {}),
    ...(input.cache ? { cache: input.cache } : { noCache: true }),
    caller: { signal: input.signal, callBudget: meter },
  });
  const { spec } = session;
  const cases = await session.recordSplits();
  const checks = specChecks(spec);
  const evaluate = async (split: SplitName): Promise<EvalResult> => {
    const result = await runEval({
      cases: selectSplit(cases, split),
      prompt: spec.prompt.text,
      ...checks,
      target: session.target,
      judge: session.judge,
      caller: session.caller,
      concurrency: session.workers,
      repeat: spec.repeat,
      signal: input.signal,
      meta: { phase: split === 'test' ? 'test' : 'baseline' },
    });
    requireScored(result, split, 'the starting prompt');
    return result;
  };
  const [train, validation, test] = await Promise.all((['train', 'validation', 'test'] as const).map(evaluate));
  return {
    task: task.id,
    scores: {
      train: scoreSplit('train', train!.cases, spec.objective).score,
      ...(validation!.cases.length > 0 ? { validation: scoreSplit('validation', validation!.cases, spec.objective).score } : {}),
      test: scoreSplit('test', test!.cases, spec.objective).score,
    },
    testCases: caseValues(test!.cases, spec.objective),
    usage: meter.usage(),
    wallMs: Math.round(performance.now() - started),
  };
}
