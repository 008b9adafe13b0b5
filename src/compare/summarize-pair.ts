/**
 * One pair's figures for the side-by-side table. Cost and latency count every sample, cached ones
 * too (a cached response keeps the cost and latency of the call that produced it): they describe
 * the model on these cases, not what this particular run happened to spend.
 */
import { objectiveValue } from '../runner/objective.js';
import { summarizeMetrics } from '../runner/summarize.js';
import type { Objective } from '../spec/types.js';
import { wilsonInterval, Z_95 } from '../stats/wilson.js';
import type { PairRun, PairSummary } from './types.js';

export function summarizePair(run: PairRun, objective: Objective): PairSummary {
  const all = run.result.cases;
  const samples = all.flatMap((c) => c.samples);
  const cases = all.filter((c) => !c.unchecked);
  const passed = cases.filter((c) => c.pass).length;
  const n = cases.length;
  const mean = (pick: (c: (typeof cases)[number]) => number) => (n === 0 ? 0 : cases.reduce((sum, c) => sum + pick(c), 0) / n);
  const priced = samples.every((s) => s.costUsd !== null || s.providerError !== undefined);
  const totalCostUsd = priced ? samples.reduce((sum, s) => sum + (s.costUsd ?? 0), 0) : null;
  const answered = samples.filter((s) => !s.providerError);
  return {
    id: run.pair.id,
    version: run.pair.version.label,
    model: run.pair.model.label,
    simulated: run.simulated,
    cases: n,
    unchecked: all.length - n,
    passed,
    passRate: n === 0 ? 0 : passed / n,
    passRateInterval: wilsonInterval(passed, n, Z_95),
    score: mean((c) => c.score),
    objectiveValue: objectiveValue({ passRate: mean((c) => c.passRate), meanScore: mean((c) => c.score) }, objective),
    metrics: summarizeMetrics(all),
    costPerCaseUsd: totalCostUsd === null || all.length === 0 ? null : totalCostUsd / all.length,
    totalCostUsd,
    meanLatencyMs: answered.length === 0 ? 0 : answered.reduce((sum, s) => sum + s.latencyMs, 0) / answered.length,
    inputTokens: samples.reduce((sum, s) => sum + s.inputTokens, 0),
    outputTokens: samples.reduce((sum, s) => sum + s.outputTokens, 0),
    cacheHits: samples.filter((s) => s.cacheHit).length,
    calls: samples.filter((s) => !s.cacheHit && !s.providerError).length,
    providerErrors: all.filter((c) => c.providerError).length,
  };
}
