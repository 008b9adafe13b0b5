/**
 * `--dry-run` for eval: the target and judge calls that would be made after the cache, and what they
 * would cost, counted as `optimize --dry-run` counts them (workflows/case-calls.ts): one judge call
 * per llm-rubric assertion and sample, a judge call of a cached answer looked up in the cache. The
 * cost is a range: from outputs as long as the expected answers with identical judge requests sent
 * once, up to every output at its max_tokens and every judge call made. Makes no call.
 */
import { PRICES_AS_OF, costOf } from '../providers/prices.js';
import type { RequestShape } from '../runner/render-request.js';
import type { SplitCase } from '../spec/types.js';
import type { TaskSession } from '../session/task-session.js';
import { caseCalls, fewestJudgeCalls, sumCalls } from '../workflows/case-calls.js';
import { formatUsd } from './terminal.js';
import { JSON_SCHEMA_VERSION } from './output/json-schema-version.js';
import type { MissingApiKeyError } from '../errors.js';

export interface DryRunEstimate {
  cases: number;
  samples: number;
  totalCalls: number;
  cachedCalls: number;
  callsToMake: number;
  judgeCalls: number;
  judgeCachedCalls: number;
  judgeCallsToMake: number;
  /** The fewest judge calls to make: identical requests (same rubric and answer) are sent once. */
  judgeCallsToMakeMin: number;
  /** Over the roles with a known price; null when none has one. */
  costLowUsd: number | null;
  costHighUsd: number | null;
  /** Roles with calls to make and no known price (their calls are not in the cost). */
  unknownPrices: ('target' | 'judge')[];
  model: string;
  judgeModel?: string;
}

export async function dryRunEstimate(input: { session: TaskSession; cases: SplitCase[]; prompt: string; shape: RequestShape }): Promise<DryRunEstimate> {
  const { session, cases, prompt, shape } = input;
  const { spec } = session;
  const calls = await caseCalls({
    cases,
    prompt,
    shape,
    defaultAssert: spec.defaultAssert,
    repeat: spec.repeat,
    cache: { caller: session.caller, target: session.target, ...(session.judge ? { judge: session.judge } : {}) },
  });
  const sum = (outputs: 'expected' | 'cap', uncachedOnly: boolean) => sumCalls(calls, { repeat: spec.repeat, outputs, targetMaxTokens: shape.maxTokens, uncachedOnly });
  const all = sum('expected', false);
  const upper = sum('expected', true);
  // The low end: identical judge requests sent once (answers alike across samples and shared labels).
  const low = { target: upper.target, judge: fewestJudgeCalls(calls, spec.repeat) };
  const high = sum('cap', true);
  const prices = { target: session.target.price, judge: session.judge?.price };
  const unknownPrices = (['target', 'judge'] as const).filter((role) => upper[role].calls > 0 && !prices[role]);
  const cost = (x: typeof low) => (['target', 'judge'] as const).reduce((n, role) => n + (costOf(prices[role], x[role].input, x[role].output) ?? 0), 0);
  const anyPriced = (['target', 'judge'] as const).some((role) => upper[role].calls > 0 && prices[role]) || upper.target.calls + upper.judge.calls === 0;
  return {
    cases: cases.length,
    samples: spec.repeat,
    totalCalls: all.target.calls,
    cachedCalls: all.target.calls - low.target.calls,
    callsToMake: low.target.calls,
    judgeCalls: all.judge.calls,
    judgeCachedCalls: all.judge.calls - upper.judge.calls,
    judgeCallsToMake: upper.judge.calls,
    judgeCallsToMakeMin: Math.min(low.judge.calls, upper.judge.calls),
    costLowUsd: anyPriced ? cost(low) : null,
    costHighUsd: anyPriced ? cost(high) : null,
    unknownPrices,
    model: `${spec.target.provider}:${spec.target.model}`,
    ...(session.judge ? { judgeModel: `${session.judge.provider}:${session.judge.modelId}` } : {}),
  };
}

export function formatDryRun(e: DryRunEstimate, targetLabel: string): string {
  const incomplete = e.unknownPrices.length > 0;
  const cost = e.costLowUsd === null ? 'unknown' : `${formatUsd(e.costLowUsd, incomplete)} – ${formatUsd(e.costHighUsd, incomplete)}`;
  return [
    `dry run: no calls made · target ${targetLabel}${e.judgeModel ? ` · judge ${e.judgeModel}` : ''}`,
    `  ${e.cases} cases × ${e.samples} sample(s) = ${e.totalCalls} target calls; ${e.cachedCalls} cached, ${e.callsToMake} to make`,
    ...(e.judgeCalls > 0
      ? [
          `  ${e.judgeCalls} judge calls (one per llm-rubric assertion and sample); ${e.judgeCachedCalls} cached, ` +
            (e.judgeCallsToMakeMin < e.judgeCallsToMake
              ? `${e.judgeCallsToMakeMin}–${e.judgeCallsToMake} to make (the same rubric and answer are judged once)`
              : `${e.judgeCallsToMake} to make`),
        ]
      : []),
    `  estimated cost: ${cost} (outputs as long as the expected answers – every output at its max_tokens; table prices as of ${PRICES_AS_OF})`,
    ...e.unknownPrices.map((role) => `  ${role}: no known price, so its calls are not in the cost (set ${role}.price: { input_per_mtok, output_per_mtok })`),
  ].join('\n');
}

export function dryRunJson(task: string, e: DryRunEstimate): Record<string, unknown> {
  return {
    schema_version: JSON_SCHEMA_VERSION,
    task,
    dry_run: true,
    cases: e.cases,
    samples: e.samples,
    total_calls: e.totalCalls,
    cached_calls: e.cachedCalls,
    calls_to_make: e.callsToMake,
    judge_calls: e.judgeCalls,
    judge_cached_calls: e.judgeCachedCalls,
    judge_calls_to_make: e.judgeCallsToMake,
    judge_calls_to_make_min: e.judgeCallsToMakeMin,
    cost_low_usd: e.costLowUsd,
    cost_high_usd: e.costHighUsd,
    cost_complete: e.unknownPrices.length === 0,
    unknown_prices: e.unknownPrices,
    model: e.model,
    judge_model: e.judgeModel ?? null,
  };
}

/** A dry run makes no call: a missing API key is a note (the run itself refuses it). */
export function missingKeyNote(error: MissingApiKeyError): string {
  return `  note: no key needed for a dry run, but the run will need one: ${error.message}`;
}

export function missingKeysJson(errors: readonly MissingApiKeyError[]): { role: string; env: string[]; message: string }[] {
  return errors.map((error) => ({ role: error.role ?? 'target', env: error.envVars, message: error.message }));
}
