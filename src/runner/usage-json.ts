/**
 * The snake_case renderings of usage that every JSON document promptopt writes shares (`eval --json`,
 * `compare --json`): one spend line, and the token, cache and call counts of a summary.
 */
import type { SpendLine } from './spend-ledger.js';

export function spendLineJson(l: SpendLine): Record<string, unknown> {
  return {
    role: l.role,
    model: l.model,
    calls: l.calls,
    cache_hits: l.cacheHits,
    input_tokens: l.inputTokens,
    output_tokens: l.outputTokens,
    cost_usd: l.costUsd,
    unknown_cost_calls: l.unknownCostCalls,
  };
}

/** The counts a split or pair summary ends with. */
export interface UsageCounts {
  inputTokens: number;
  outputTokens: number;
  cacheHits: number;
  calls: number;
  providerErrors: number;
}

export function usageCountsJson(u: UsageCounts): Record<string, number> {
  return {
    input_tokens: u.inputTokens,
    output_tokens: u.outputTokens,
    cache_hits: u.cacheHits,
    calls: u.calls,
    provider_errors: u.providerErrors,
  };
}
