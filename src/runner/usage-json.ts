/**
 * The snake_case renderings of usage that every JSON document promptopt writes shares (`eval --json`,
 * `compare --json`): one spend line, and the token, cache and call counts of a summary.
 */
import { spendTotals, type SpendLine } from './spend-ledger.js';

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
    calls_at_reservation: l.reservedCalls ?? 0,
    replayed_calls: l.replayedCalls ?? 0,
    replayed_usd: l.replayedUsd ?? 0,
    saved_calls: l.savedCalls ?? 0,
    saved_usd: l.savedUsd ?? 0,
  };
}

/** Paid, replayed and saved over all spend lines. */
export function spendTotalsJson(lines: SpendLine[]): Record<string, number> {
  const t = spendTotals(lines);
  return {
    paid_usd: t.paidUsd,
    paid_calls: t.paidCalls,
    calls_at_reservation: t.reservedCalls,
    replayed_usd: t.replayedUsd,
    replayed_calls: t.replayedCalls,
    saved_usd: t.savedUsd,
    saved_calls: t.savedCalls,
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
