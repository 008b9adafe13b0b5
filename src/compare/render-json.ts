/**
 * The `compare --json` document, also written as compare.json: snake_case keys and a
 * schema_version, like `eval --json`. Outputs and case data are carried as they are.
 */
import type { SpendLine } from '../runner/spend-ledger.js';
import { spendLineJson, usageCountsJson } from '../runner/usage-json.js';
import type { Interval } from '../stats/wilson.js';
import type { CaseRow, Comparison, ModelResults, PairComparison, PairSummary } from './types.js';

export interface CompareJsonExtras {
  /** The CLI's JSON schema version (shared by every document promptopt prints). */
  schemaVersion: number;
  exitCode: number;
  /** Paths of the files written. */
  files: { html: string; json: string; dir: string };
  spend: SpendLine[];
  wallTimeMs: number;
}

export function compareJson(comparison: Comparison, extras: CompareJsonExtras): Record<string, unknown> {
  const { settings } = comparison;
  return {
    schema_version: extras.schemaVersion,
    command: 'compare',
    task: comparison.task,
    spec_file: comparison.specFile,
    split: comparison.split,
    objective: settings.objective,
    repeat: settings.repeat,
    alpha: settings.alpha,
    min_cases: settings.minCases,
    confidence: comparison.confidence,
    bootstrap: settings.repeat > 1 || settings.objective === 'mean_score' ? { resamples: settings.resamples, seed: settings.seed } : null,
    baseline: comparison.baseline,
    versions: comparison.versions.map((v) => ({ label: v.label, kind: v.kind, version: v.version ?? null, file: v.file ?? null })),
    models: comparison.models.map((m) => ({ label: m.label, simulated: m.simulated })),
    pairs: comparison.pairs.map(pairJson),
    comparisons: comparison.comparisons.map(comparisonJson),
    per_model: comparison.perModel.map(modelJson),
    exit_code: extras.exitCode,
    report_html: extras.files.html,
    compare_json: extras.files.json,
    wall_time_ms: Math.round(extras.wallTimeMs),
    spend: extras.spend.map(spendLineJson),
    cases: comparison.cases.map(caseJson),
  };
}

function intervalJson(i: Interval): Record<string, number> {
  return { lower: i.lower, upper: i.upper };
}

function pairJson(p: PairSummary): Record<string, unknown> {
  return {
    id: p.id,
    version: p.version,
    model: p.model,
    simulated: p.simulated,
    cases: p.cases,
    unchecked: p.unchecked,
    passed: p.passed,
    pass_rate: p.passRate,
    pass_rate_ci: intervalJson(p.passRateInterval),
    score: p.score,
    objective_value: p.objectiveValue,
    metrics: p.metrics.map((m) => ({ name: m.name, cases: m.cases, passed: m.passed, score: m.score })),
    cost_per_case_usd: p.costPerCaseUsd,
    total_cost_usd: p.totalCostUsd,
    mean_latency_ms: p.meanLatencyMs,
    ...usageCountsJson(p),
  };
}

function comparisonJson(c: PairComparison): Record<string, unknown> {
  return {
    candidate: c.candidate,
    baseline: c.baseline,
    n: c.n,
    verdict: c.verdict,
    verdict_text: c.verdictText,
    test: c.test,
    p_value: c.pValue,
    pass_rate_difference: c.passRateDifference,
    score_difference: c.scoreDifference,
    fixed: c.fixed,
    broken: c.broken,
    excluded: c.excluded,
    mcnemar: { b: c.mcnemar.b, c: c.mcnemar.c, p_value: c.mcnemar.pValue },
    // Only when it decided the verdict (objective mean_score, or repeat > 1); null otherwise.
    bootstrap: c.bootstrap
      ? {
          mean_difference: c.bootstrap.meanDifference,
          ci: intervalJson(c.bootstrap.interval),
          p_value: c.bootstrap.pValue,
          resamples: c.bootstrap.resamples,
          seed: c.bootstrap.seed,
        }
      : null,
  };
}

function modelJson(m: ModelResults): Record<string, unknown> {
  return {
    model: m.model,
    best_version: m.bestVersion,
    baseline_version: m.baselineVersion,
    ranking: m.ranking,
    comparisons: m.comparisons.map(comparisonJson),
  };
}

function caseJson(c: CaseRow): Record<string, unknown> {
  return {
    id: c.id,
    split: c.split,
    vars: c.vars,
    expected: c.expected ?? null,
    results: c.cells.map((cell) => ({
      pair: cell.pair,
      pass: cell.unchecked ? null : cell.pass,
      score: cell.unchecked ? null : cell.score,
      unchecked: cell.unchecked === true,
      output: cell.output,
      latency_ms: cell.latencyMs,
      cost_usd: cell.costUsd,
      provider_error: cell.providerError ?? null,
    })),
  };
}
