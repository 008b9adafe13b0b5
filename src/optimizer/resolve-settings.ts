/** The loop's settings: the spec's `optimizer:` section, with a caller's overrides (the CLI's flags) on top. */
import { UsageError } from '../errors.js';
import type { OptimizerStrategyName, Spec } from '../spec/types.js';
import type { LoopSettings } from './loop-context.js';
import { STRATEGY_NAMES } from './strategies/resolve-strategy.js';

export interface LoopOverrides {
  strategy?: string;
  maxIterations?: number;
  /** 1..10. */
  candidates?: number;
  seed?: number;
  accept?: string;
  concurrency?: number;
  /** false: the optimizer sees only pass counts (an ablation). Default true. */
  feedback?: boolean;
}

/** Significance level of every paired test the loop makes (accept: significant, validation drops, final selection). */
export const LOOP_ALPHA = 0.05;

export function resolveLoopSettings(spec: Spec, overrides: LoopOverrides = {}): LoopSettings & { strategy: OptimizerStrategyName } {
  const o = spec.optimizer;
  const strategy = (overrides.strategy ?? o.strategy) as OptimizerStrategyName;
  if (!STRATEGY_NAMES.includes(strategy)) {
    throw new UsageError(`--strategy must be one of ${STRATEGY_NAMES.join(', ')} (got "${overrides.strategy}")`);
  }
  const candidates = overrides.candidates ?? o.candidates;
  if (!Number.isInteger(candidates) || candidates < 1 || candidates > 10) throw new UsageError(`--candidates must be from 1 to 10 (got ${candidates})`);
  const accept = overrides.accept ?? o.accept;
  if (accept !== 'score' && accept !== 'significant') throw new UsageError(`--accept must be "score" or "significant" (got "${accept}")`);
  return {
    strategy,
    maxIterations: overrides.maxIterations ?? o.maxIterations,
    candidates,
    patience: o.patience,
    validationIterations: o.validationIterations,
    strictBelow: o.strictBelow,
    accept,
    alpha: LOOP_ALPHA,
    concurrency: overrides.concurrency ?? spec.concurrency,
    repeat: spec.repeat,
    seed: overrides.seed ?? o.seed,
    metaPromptTokens: o.metaPromptTokens,
    optimizerMaxTokens: o.maxTokens,
    showValidationCases: o.showValidationCases,
    feedback: overrides.feedback ?? true,
    minibatch: o.minibatch,
    merge: o.merge,
    ...(o.temperature !== undefined ? { optimizerTemperature: o.temperature } : {}),
  };
}
