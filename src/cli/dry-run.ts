/**
 * `--dry-run` for eval: how many calls would be made after the cache, and what they would cost
 * (a range: outputs as short as the expected answers, up to max_tokens). Makes no call.
 */
import { estimateTokens } from '../feedback/case-text.js';
import { lookupPrice, costOf, PRICES_AS_OF } from '../providers/prices.js';
import { renderRequest, type RequestShape } from '../runner/render-request.js';
import { stringifyValue } from '../template/template.js';
import type { SplitCase } from '../spec/types.js';
import type { TaskSession } from '../session/task-session.js';
import { formatUsd } from './terminal.js';
import { JSON_SCHEMA_VERSION } from './output/json-schema-version.js';

export interface DryRunEstimate {
  cases: number;
  samples: number;
  totalCalls: number;
  cachedCalls: number;
  callsToMake: number;
  judgeCallsUpTo: number;
  costLowUsd: number | null;
  costHighUsd: number | null;
  model: string;
}


export async function dryRunEstimate(input: { session: TaskSession; cases: SplitCase[]; prompt: string; shape: RequestShape }): Promise<DryRunEstimate> {
  const { session, cases, prompt, shape } = input;
  const { spec } = session;
  const price = spec.target.price ?? lookupPrice(spec.target.provider, spec.target.model);
  let cachedCalls = 0;
  let low = 0;
  let high = 0;
  for (const testCase of cases) {
    const request = renderRequest(shape, prompt, testCase.vars);
    const inputTokens = estimateTokens((request.system ?? '') + request.messages.map((m) => m.content).join('\n'));
    const shortOutput = Math.max(4, estimateTokens(stringifyValue(testCase.expected)));
    for (let sample = 0; sample < spec.repeat; sample++) {
      if (await session.caller.isCached(session.target, request, 'target', sample)) {
        cachedCalls += 1;
        continue;
      }
      low += costOf(price, inputTokens, shortOutput) ?? 0;
      high += costOf(price, inputTokens, shape.maxTokens) ?? 0;
    }
  }
  const totalCalls = cases.length * spec.repeat;
  const rubricCount = (c: SplitCase) =>
    [...spec.defaultAssert, ...c.assert].filter((a) => a.type.replace(/^not-/, '') === 'llm-rubric').length;
  const judgeCallsUpTo = cases.reduce((n, c) => n + rubricCount(c) * spec.repeat, 0);
  return {
    cases: cases.length,
    samples: spec.repeat,
    totalCalls,
    cachedCalls,
    callsToMake: totalCalls - cachedCalls,
    judgeCallsUpTo,
    costLowUsd: price ? low : null,
    costHighUsd: price ? high : null,
    model: `${spec.target.provider}:${spec.target.model}`,
  };
}

export function formatDryRun(e: DryRunEstimate, targetLabel: string): string {
  const cost =
    e.costLowUsd === null ? 'unknown (no price for this model; add target.price)' : `${formatUsd(e.costLowUsd)} – ${formatUsd(e.costHighUsd)}`;
  return [
    `dry run: no calls made · target ${targetLabel}`,
    `  ${e.cases} cases × ${e.samples} sample(s) = ${e.totalCalls} target calls; ${e.cachedCalls} cached, ${e.callsToMake} to make`,
    ...(e.judgeCallsUpTo > 0 ? [`  up to ${e.judgeCallsUpTo} judge calls for llm-rubric (fewer when cached)`] : []),
    `  estimated target cost: ${cost} (prices as of ${PRICES_AS_OF})`,
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
    judge_calls_up_to: e.judgeCallsUpTo,
    cost_low_usd: e.costLowUsd,
    cost_high_usd: e.costHighUsd,
    model: e.model,
  };
}
