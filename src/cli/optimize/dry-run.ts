/**
 * `optimize --dry-run`: the projected number of calls and a cost range for the configured loop, with
 * no call made. The low end assumes the run converges after one iteration, the high end runs every
 * iteration of both phases; cached baseline calls are not counted.
 */
import { estimateTokens } from '../../feedback/case-text.js';
import { costOf, lookupPrice, PRICES_AS_OF } from '../../providers/prices.js';
import type { LoopSettings } from '../../optimizer/loop-context.js';
import type { Spec, SplitCase } from '../../spec/types.js';
import { JSON_SCHEMA_VERSION } from '../output/json-schema-version.js';
import { formatUsd } from '../terminal.js';

export interface OptimizeProjection {
  optimizerCalls: [number, number];
  targetCalls: [number, number];
  costUsd: [number, number] | null;
}

export function projectOptimize(spec: Spec, cases: SplitCase[], settings: LoopSettings): OptimizeProjection {
  const count = (split: string) => cases.filter((c) => c.split === split).length * settings.repeat;
  const train = count('train');
  const validation = count('validation');
  const test = count('test');
  const n = settings.candidates;
  const baseline = train + validation;
  const trainIteration = n * train + validation; // candidates on train, the accepted one on validation
  const validationIteration = n * (train + validation);
  const vIters = validation > 0 ? settings.validationIterations : 0;
  const targetLow = baseline + trainIteration + test;
  const targetHigh = baseline + settings.maxIterations * trainIteration + vIters * validationIteration + test;
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

export function formatProjection(p: OptimizeProjection, budget?: number): string {
  const range = ([a, b]: [number, number]) => `${a}–${b}`;
  const cost = p.costUsd ? `${formatUsd(p.costUsd[0])} – ${formatUsd(p.costUsd[1])}` : 'unknown (a model has no known price)';
  return [
    'dry run: no calls made',
    `  optimizer calls: ${range(p.optimizerCalls)}`,
    `  target calls:    ${range(p.targetCalls)} (before the cache; judge calls for llm-rubric come on top)`,
    `  projected cost:  ${cost} (prices as of ${PRICES_AS_OF})${budget !== undefined ? ` · budget ${formatUsd(budget)}` : ''}`,
  ].join('\n');
}

export function projectionJson(task: string, p: OptimizeProjection, budget?: number): Record<string, unknown> {
  return {
    schema_version: JSON_SCHEMA_VERSION,
    task,
    dry_run: true,
    optimizer_calls: { min: p.optimizerCalls[0], max: p.optimizerCalls[1] },
    target_calls: { min: p.targetCalls[0], max: p.targetCalls[1] },
    cost_usd: p.costUsd ? { min: p.costUsd[0], max: p.costUsd[1] } : null,
    budget_usd: budget ?? null,
  };
}
