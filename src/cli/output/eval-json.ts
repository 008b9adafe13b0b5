/**
 * The `eval --json` / `--output` document: snake_case keys like the spec, with a schema_version, and
 * one record per case last (`cases`), so the document can be streamed: the head, then each record.
 */
import type { CaseResult, EvalResult, SplitSummary } from '../../runner/types.js';
import type { SpendLine } from '../../runner/spend-ledger.js';
import { spendLineJson, spendTotalsJson, usageCountsJson } from '../../runner/usage-json.js';
import { JSON_SCHEMA_VERSION } from './json-schema-version.js';
import { objectiveValue } from '../../runner/objective.js';
import type { Objective } from '../../spec/types.js';

export interface EvalReportInfo {
  task: string;
  specFile: string;
  promptFile?: string;
  target: { provider: string; model: string; simulated: boolean };
  split: string;
  threshold: number;
  objective: Objective;
  /** The objective's value on the split evaluated. */
  score: number;
  passed: boolean;
  exitCode: number;
  keys: { fingerprint: string; calls: number; input_tokens: number; output_tokens: number; cost_usd: number | null }[];
  spend: SpendLine[];
}

/** One case as the document lists it (the unit that is spooled, streamed and rendered per case). */
export interface CaseJson {
  id: string;
  split: CaseResult['split'];
  /** null when no assertion checked the case (`unchecked`). */
  pass: boolean | null;
  /** The weighted mean of the assertion scores; null when unchecked. */
  score: number | null;
  /** The fraction of samples that passed (1 or 0 without repeat); null when unchecked. */
  pass_rate: number | null;
  unchecked: boolean;
  metrics: { name: string; score: number; pass: boolean }[];
  output: string;
  expected: unknown;
  failures: { type: string; category: string; reason: string; metric: string | null; score: number | null; expected: string | null; actual: string | null }[];
  input_tokens: number;
  output_tokens: number;
  cost_usd: number | null;
  latency_ms: number;
  cache_hit: boolean;
  samples: number;
  provider_error: { code: string; message: string } | null;
}

/** The whole document, for results held in memory. */
export function evalJson(info: EvalReportInfo, result: EvalResult): Record<string, unknown> {
  return { ...evalJsonHead(info, result), cases: result.cases.map(caseJson) };
}

/** Everything but `cases`, in the document's key order. */
export function evalJsonHead(info: EvalReportInfo, result: Pick<EvalResult, 'summaries' | 'wallTimeMs'>, promptfoo?: { prompt: string; provider: string }): Record<string, unknown> {
  return {
    schema_version: JSON_SCHEMA_VERSION,
    task: info.task,
    spec_file: info.specFile,
    prompt_file: info.promptFile ?? null,
    target: info.target,
    split: info.split,
    threshold: info.threshold,
    objective: info.objective,
    score: info.score,
    passed: info.passed,
    exit_code: info.exitCode,
    wall_time_ms: Math.round(result.wallTimeMs),
    summary: result.summaries.map((s) => summaryJson(s, info.objective)),
    spend: info.spend.map(spendLineJson),
    spend_totals: spendTotalsJson(info.spend),
    keys: info.keys,
    // A promptfoo config's run: which of its prompts and providers this document scores.
    ...(promptfoo ? { promptfoo } : {}),
  };
}

export function summaryJson(s: SplitSummary, objective: Objective): Record<string, unknown> {
  return {
    split: s.split,
    total: s.total,
    passed: s.passed,
    unchecked: s.unchecked,
    pass_rate: s.passRate,
    mean_score: s.meanScore,
    score: objectiveValue(s, objective),
    metrics: s.metrics.map((m) => ({ name: m.name, cases: m.cases, passed: m.passed, score: m.score })),
    cost_usd: s.costUsd,
    cost_incomplete: s.costIncomplete,
    ...usageCountsJson(s),
  };
}

export function caseJson(c: CaseResult): CaseJson {
  return {
    id: c.caseId,
    split: c.split,
    pass: c.unchecked ? null : c.pass,
    score: c.unchecked ? null : c.score,
    pass_rate: c.unchecked ? null : c.passRate,
    unchecked: c.unchecked === true,
    metrics: (c.metrics ?? []).map((m) => ({ name: m.name, score: m.score, pass: m.pass })),
    output: c.output,
    expected: c.expected ?? null,
    failures: c.failures.map((f) => ({
      type: f.type,
      category: f.category,
      reason: f.reason,
      metric: f.metric ?? null,
      score: f.score ?? null,
      expected: f.expected ?? null,
      actual: f.actual ?? null,
    })),
    input_tokens: c.inputTokens,
    output_tokens: c.outputTokens,
    cost_usd: c.costUsd,
    latency_ms: Math.round(c.latencyMs),
    cache_hit: c.cacheHit,
    samples: c.samples.length,
    provider_error: c.providerError ?? null,
  };
}
