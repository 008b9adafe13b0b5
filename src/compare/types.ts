/**
 * The compare stage's data: the prompt versions and models to compare, the plan (every version ×
 * model pair and the baseline among them), what each pair scored, and the paired comparisons.
 * The renderers (text, JSON, HTML) read only `Comparison`.
 */
import type { ModelConfig } from '../providers/types.js';
import type { EvalResult, MetricSummary } from '../runner/types.js';
import type { Objective, SplitName } from '../spec/types.js';
import type { Interval } from '../stats/wilson.js';

/** One prompt to compare: a committed version, the spec's own prompt, or a file. */
export interface PromptVersion {
  /** How it is shown: `v3`, `current`, or the path as given. */
  label: string;
  kind: 'version' | 'current' | 'file';
  text: string;
  /** Version number for kind `version`. */
  version?: number;
  /** Absolute path of the prompt file (a version's file, the spec's `file://` prompt, or the given file). */
  file?: string;
}

/** One model to compare: `provider:model` with the spec's target settings. */
export interface CompareModel {
  /** `provider:model`. */
  label: string;
  config: ModelConfig;
}

export interface PairPlan {
  /** `version@provider:model`. */
  id: string;
  version: PromptVersion;
  model: CompareModel;
}

export interface ComparePlan {
  versions: PromptVersion[];
  models: CompareModel[];
  /** Every version × model, versions outermost (the order of the table). */
  pairs: PairPlan[];
  baseline: PairPlan;
}

export interface PairRun {
  pair: PairPlan;
  simulated: boolean;
  result: EvalResult;
}

/** What one pair scored. Costs and latencies count every sample, cached ones included. */
export interface PairSummary {
  id: string;
  version: string;
  model: string;
  simulated: boolean;
  /** Cases checked (unchecked ones, which no assertion applies to, are in `unchecked` only). */
  cases: number;
  unchecked: number;
  passed: number;
  passRate: number;
  /** Wilson 95% interval of the pass rate. */
  passRateInterval: Interval;
  /** Mean case score: each the weighted mean of its assertion scores (partial credit), over samples. */
  score: number;
  /**
   * The objective's figure, which ranks the versions: the mean score, or the pass rate as `eval`
   * gates it (with repeat > 1, the mean share of a case's samples that passed).
   */
  objectiveValue: number;
  /** Named metrics (`metric:`) over these cases. */
  metrics: MetricSummary[];
  /** USD per case (all samples), null when the model's price is unknown. */
  costPerCaseUsd: number | null;
  totalCostUsd: number | null;
  meanLatencyMs: number;
  inputTokens: number;
  outputTokens: number;
  cacheHits: number;
  calls: number;
  providerErrors: number;
}

export type Verdict = 'better' | 'worse' | 'no_significant_difference' | 'too_few_cases';
export type PairedTestName = 'mcnemar_exact' | 'paired_bootstrap';

/** One pair against a reference pair, on the cases both scored without a provider error. */
export interface PairComparison {
  candidate: string;
  baseline: string;
  /** Paired cases. */
  n: number;
  /** Case ids the baseline fails and the candidate passes. */
  fixed: string[];
  /** Case ids the baseline passes and the candidate fails. */
  broken: string[];
  /** Cases left out because either side had a provider error. */
  excluded: string[];
  passRateDifference: number;
  scoreDifference: number;
  mcnemar: { b: number; c: number; pValue: number };
  /**
   * The paired bootstrap of the mean difference in case scores (objective mean_score) or in case
   * pass rates (pass_rate with repeat > 1): only when it decides.
   */
  bootstrap?: { meanDifference: number; interval: Interval; pValue: number; resamples: number; seed: number };
  /**
   * The test the verdict rests on: McNemar on pass/fail for the pass rate with repeat 1, the
   * bootstrap otherwise (mean score; or pass rates with repeat > 1).
   */
  test: PairedTestName;
  pValue: number;
  verdict: Verdict;
  /** `better`, `worse`, `no significant difference`, `too few cases (n = 4 < 20)`. */
  verdictText: string;
}

/** Results kept per model: the versions ranked on it, and each against the baseline version on it. */
export interface ModelResults {
  model: string;
  /** Version label with the highest score on this model (ties: the first listed). */
  bestVersion: string;
  baselineVersion: string;
  /** Version labels, best first. */
  ranking: string[];
  comparisons: PairComparison[];
}

export interface CaseCell {
  pair: string;
  pass: boolean;
  score: number;
  /** No assertion applied to the case: in no figure. */
  unchecked?: true;
  output: string;
  latencyMs: number;
  costUsd: number | null;
  providerError?: string;
}

export interface CaseRow {
  id: string;
  split: SplitName;
  vars: Record<string, unknown>;
  expected?: unknown;
  cells: CaseCell[];
}

export interface CompareSettings {
  /** The spec's objective: what ranks the versions and decides the verdicts. */
  objective: Objective;
  alpha: number;
  minCases: number;
  resamples: number;
  seed: number;
  repeat: number;
}

export interface Comparison {
  task: string;
  specFile: string;
  split: SplitName | 'all';
  settings: CompareSettings;
  /** Level of the pass-rate intervals. */
  confidence: number;
  versions: PromptVersion[];
  models: { label: string; simulated: boolean }[];
  baseline: string;
  pairs: PairSummary[];
  /** Every other pair against the baseline. */
  comparisons: PairComparison[];
  perModel: ModelResults[];
  cases: CaseRow[];
}
