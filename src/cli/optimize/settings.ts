/** Loop settings: the spec's `optimizer:` section, overridden by command-line flags. */
import { UsageError } from '../../errors.js';
import type { LoopSettings } from '../../optimizer/loop-context.js';
import { STRATEGY_NAMES } from '../../optimizer/strategies/resolve-strategy.js';
import type { OptimizerStrategyName, Spec } from '../../spec/types.js';
import { parsePositiveInt } from '../commands/eval.js';

export interface OptimizeFlags {
  strategy?: string;
  maxIterations?: string;
  candidates?: string;
  seed?: string;
  maxCost?: string;
  accept?: string;
  concurrency?: string;
  feedback: boolean;
  failUnder?: string;
}

export function loopSettings(spec: Spec, flags: OptimizeFlags): LoopSettings & { strategy: OptimizerStrategyName } {
  const o = spec.optimizer;
  const strategy = (flags.strategy ?? o.strategy) as OptimizerStrategyName;
  if (!STRATEGY_NAMES.includes(strategy)) {
    throw new UsageError(`--strategy must be one of ${STRATEGY_NAMES.join(', ')} (got "${flags.strategy}")`);
  }
  const candidates = flags.candidates === undefined ? o.candidates : parsePositiveInt('--candidates', flags.candidates);
  if (candidates > 10) throw new UsageError(`--candidates must be from 1 to 10 (got ${candidates})`);
  const accept = flags.accept ?? o.accept;
  if (accept !== 'score' && accept !== 'significant') throw new UsageError(`--accept must be "score" or "significant" (got "${accept}")`);
  return {
    strategy,
    maxIterations: flags.maxIterations === undefined ? o.maxIterations : parsePositiveInt('--max-iterations', flags.maxIterations),
    candidates,
    patience: o.patience,
    validationIterations: o.validationIterations,
    strictBelow: o.strictBelow,
    accept,
    alpha: 0.05,
    concurrency: flags.concurrency === undefined ? spec.concurrency : parsePositiveInt('-j/--concurrency', flags.concurrency),
    repeat: spec.repeat,
    seed: flags.seed === undefined ? o.seed : parseSeed(flags.seed),
    metaPromptTokens: o.metaPromptTokens,
    optimizerMaxTokens: o.maxTokens,
    showValidationCases: o.showValidationCases,
    feedback: flags.feedback,
  };
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`--seed must be an integer (got "${value}")`);
  return n;
}

export function parseMaxCost(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--max-cost must be a positive number of USD (got "${value}")`);
  return n;
}
