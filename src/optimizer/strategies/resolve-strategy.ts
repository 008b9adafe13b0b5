import { UsageError } from '../../errors.js';
import type { OptimizerStrategyName } from '../../spec/types.js';
import { EvolutionaryStrategy } from './evolutionary/evolutionary-strategy.js';
import { HybridStrategy } from './hybrid/hybrid-strategy.js';
import { IterativeStrategy } from './iterative/iterative-strategy.js';
import { OproStrategy } from './opro/opro-strategy.js';
import { ParetoStrategy } from './pareto/pareto-strategy.js';
import type { Strategy } from './types.js';

const FACTORIES = {
  iterative: () => new IterativeStrategy(),
  evolutionary: (size: number, seed: number) => new EvolutionaryStrategy(size, seed),
  hybrid: () => new HybridStrategy(),
  pareto: () => new ParetoStrategy(),
  opro: () => new OproStrategy(),
} satisfies Record<OptimizerStrategyName, (size: number, seed: number) => Strategy>;

export const STRATEGY_NAMES = Object.keys(FACTORIES) as OptimizerStrategyName[];

/** The one place a strategy name becomes an instance. */
export function resolveStrategy(name: string, populationSize: number, seed: number): Strategy {
  if (!(name in FACTORIES)) throw new UsageError(`unknown strategy "${name}"`, `choose one of: ${STRATEGY_NAMES.join(', ')}`);
  return FACTORIES[name as OptimizerStrategyName](populationSize, seed);
}
