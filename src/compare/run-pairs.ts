/**
 * Runs every pair over the same cases through the eval runner: one shared limiter (so `-j` bounds
 * the whole comparison, not each pair), one ModelCaller (one cache, one budget, one spend ledger).
 * Per-provider rate limits still apply below, in each model's middleware.
 */
import pLimit from 'p-limit';
import type { AssertionSpec } from '../assertions/types.js';
import type { ChatModel } from '../providers/types.js';
import type { ModelCaller } from '../runner/model-caller.js';
import type { RequestShape } from '../runner/render-request.js';
import { runEval } from '../runner/run-eval.js';
import type { EvalProgress } from '../runner/types.js';
import type { SplitCase } from '../spec/types.js';
import type { ComparePlan, PairRun } from './types.js';

export interface RunPairsOptions {
  plan: ComparePlan;
  cases: SplitCase[];
  /** A ready model per model label. */
  models: ReadonlyMap<string, ChatModel>;
  judge?: ChatModel;
  caller: ModelCaller;
  /** How a prompt becomes a request (the spec's; every model gets the target's max_tokens and temperature). */
  shape: RequestShape;
  defaultAssert: AssertionSpec[];
  /** `defaults.threshold`: the case threshold of cases that set none. */
  defaultThreshold?: number;
  baseDir: string;
  concurrency: number;
  repeat: number;
  /** Progress summed over every pair. */
  onProgress?: (progress: EvalProgress) => void;
  signal?: AbortSignal;
}

export async function runPairs(options: RunPairsOptions): Promise<PairRun[]> {
  const limit = pLimit(Math.max(1, options.concurrency));
  const latest = new Map<string, EvalProgress>();
  const total = options.plan.pairs.length * options.cases.length * options.repeat;
  const report = () => {
    const sum: EvalProgress = { done: 0, total, passed: 0, costUsd: 0, cacheHits: 0 };
    for (const p of latest.values()) {
      sum.done += p.done;
      sum.passed += p.passed;
      sum.costUsd += p.costUsd;
      sum.cacheHits += p.cacheHits;
    }
    options.onProgress?.(sum);
  };

  const settled = await Promise.allSettled(
    options.plan.pairs.map(async (pair): Promise<PairRun> => {
      const target = options.models.get(pair.model.label);
      if (!target) throw new Error(`no model for ${pair.model.label}`);
      const result = await runEval({
        cases: options.cases,
        prompt: pair.version.text,
        shape: options.shape,
        defaultAssert: options.defaultAssert,
        defaultThreshold: options.defaultThreshold,
        baseDir: options.baseDir,
        target,
        judge: options.judge,
        caller: options.caller,
        concurrency: options.concurrency,
        limit,
        repeat: options.repeat,
        onProgress: (p) => {
          latest.set(pair.id, p);
          report();
        },
        signal: options.signal,
        meta: { phase: `compare ${pair.id}` },
      });
      return { pair, simulated: target.simulated, result };
    }),
  );
  // Every pair has settled (none left running in the background); the first failure wins.
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<PairRun>).value);
}
