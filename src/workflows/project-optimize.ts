/**
 * `optimize --dry-run`: the projected number of calls and a cost range for the configured loop, with
 * no call made. The low end assumes the run converges after one iteration, the high end runs every
 * iteration of both phases; cached baseline calls are not counted.
 */
import { estimateTokens } from '../feedback/case-text.js';
import { costOf, lookupPrice } from '../providers/prices.js';
import type { LoopSettings } from '../optimizer/loop-context.js';
import type { OptimizerStrategyName, Spec, SplitCase } from '../spec/types.js';

export interface OptimizeProjection {
  optimizerCalls: [number, number];
  targetCalls: [number, number];
  costUsd: [number, number] | null;
}

export function projectOptimize(spec: Spec, cases: SplitCase[], settings: LoopSettings & { strategy?: OptimizerStrategyName }): OptimizeProjection {
  const count = (split: string) => cases.filter((c) => c.split === split).length * settings.repeat;
  const train = count('train');
  const validation = count('validation');
  const test = count('test');
  const n = settings.candidates;
  const baseline = train + validation;
  // Candidates on train; those with a train gain on validation too (one at least, all of them at most).
  const trainIterationLow = n * train + validation;
  // pareto scores each parent on its minibatch first (its children's minibatch cases are not asked again).
  const parents = settings.strategy === 'pareto' ? n * Math.min(settings.minibatch, train / settings.repeat) * settings.repeat : 0;
  const trainIterationHigh = n * (train + validation) + parents;
  const validationIteration = n * (train + validation);
  const vIters = validation > 0 ? settings.validationIterations : 0;
  const targetLow = baseline + trainIterationLow + test;
  const targetHigh = baseline + settings.maxIterations * trainIterationHigh + vIters * validationIteration + test;
  const optimizerLow = n;
  const optimizerHigh = 2 * n * (settings.maxIterations + vIters); // each candidate may be asked twice
  const promptTokens = estimateTokens(spec.prompt.text) + 50;
  const targetPrice = spec.target.price ?? lookupPrice(spec.target.provider, spec.target.model);
  const optimizerPrice = spec.optimizer.price ?? lookupPrice(spec.optimizer.provider, spec.optimizer.model);
  if (!targetPrice || !optimizerPrice) return { optimizerCalls: [optimizerLow, optimizerHigh], targetCalls: [targetLow, targetHigh], costUsd: null };
  const targetCost = (calls: number, out: number) => costOf(targetPrice, calls * promptTokens, calls * out) ?? 0;
  const optimizerCost = (calls: number, input: number, out: number) => costOf(optimizerPrice, calls * input, calls * out) ?? 0;
  const low = targetCost(targetLow, 8) + optimizerCost(optimizerLow, settings.metaPromptTokens / 3, promptTokens * 1.5);
  const high = targetCost(targetHigh, spec.target.maxTokens) + optimizerCost(optimizerHigh, settings.metaPromptTokens, settings.optimizerMaxTokens);
  return { optimizerCalls: [optimizerLow, optimizerHigh], targetCalls: [targetLow, targetHigh], costUsd: [low, high] };
}
