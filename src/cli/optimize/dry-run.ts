/** `optimize --dry-run` as text and as JSON (the projection itself: workflows/project-optimize.ts). */
import { PRICES_AS_OF } from '../../providers/prices.js';
import type { OptimizeProjection } from '../../workflows/project-optimize.js';
import { JSON_SCHEMA_VERSION } from '../output/json-schema-version.js';
import { formatUsd } from '../terminal.js';

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
