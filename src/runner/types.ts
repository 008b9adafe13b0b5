/**
 * What the eval runner produces: one result per case (each with `repeat` samples), and a summary per
 * split. The feedback stage, the optimizer, the reports and `eval --json` all read these.
 */
import type { AssertionResult, CaseFailure, CaseMetric } from '../assertions/types.js';

export type { CaseFailure, CaseMetric };
import type { SplitName } from '../spec/types.js';

export interface SampleResult {
  /** 0-based sample index (part of the cache key). */
  index: number;
  output: string;
  /** Every counted assertion passed, or (with a case threshold) the score reached it. */
  pass: boolean;
  /** Weighted mean of the counted assertion scores (see assertions/summarize.ts). */
  score: number;
  /** No assertion counted (none applied, or all had weight 0): nothing was checked. */
  unchecked?: true;
  /** The case threshold that decided the verdict, when the case has one. */
  threshold?: number;
  assertions: AssertionResult[];
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  latencyMs: number;
  cacheHit: boolean;
  /** Set when the model call failed after retries: the case counts as failed, the run exits 3. */
  providerError?: { code: string; message: string };
}

export interface CaseResult {
  caseId: string;
  split: SplitName;
  vars: Record<string, unknown>;
  expected?: unknown;
  /** Output of the first sample (what reports show). */
  output: string;
  /** True when every sample passes (see SampleResult.pass). */
  pass: boolean;
  /** The fraction of samples that passed (1 or 0 without repeat). */
  passRate: number;
  /** The mean of the samples' scores: each the weighted mean of its assertion scores (partial credit). */
  score: number;
  /**
   * No assertion checked this case (an imported case kept unlabelled, a default on `{{expected}}`
   * left out for a case without one): it is left out of pass rates and scores, and counted apart.
   */
  unchecked?: true;
  /** Named metrics of the case, in the order the assertions name them (absent when none). */
  metrics?: CaseMetric[];
  samples: SampleResult[];
  /** Failures of the first failing sample, one per failed assertion. */
  failures: CaseFailure[];
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  latencyMs: number;
  /** True when every sample came from the cache. */
  cacheHit: boolean;
  providerError?: { code: string; message: string };
}

/** A named metric over the checked cases of a split that have it. */
export interface MetricSummary {
  name: string;
  cases: number;
  /** Cases where every assertion of the metric passed. */
  passed: number;
  /** Mean of the cases' metric scores, 0..1. */
  score: number;
}

export interface SplitSummary {
  split: SplitName | 'all';
  /** Cases checked (scored); unchecked ones are counted in `unchecked` only. */
  total: number;
  passed: number;
  /** Mean over the checked cases of the fraction of samples that passed (passed / total without repeat), 0..1. */
  passRate: number;
  /** Mean of the checked cases' scores (partial credit), 0..1. */
  meanScore: number;
  /** Cases no assertion checked: in no pass rate or score. */
  unchecked: number;
  /** Named metrics, in the order they first appear. */
  metrics: MetricSummary[];
  costUsd: number | null;
  /** True when some calls had an unknown price: costUsd is then a lower bound. */
  costIncomplete: boolean;
  inputTokens: number;
  outputTokens: number;
  cacheHits: number;
  calls: number;
  providerErrors: number;
}

export interface EvalResult {
  /** In the order of the cases evaluated; only complete cases; empty when run with `keepCases: false`. */
  cases: CaseResult[];
  summaries: SplitSummary[];
  wallTimeMs: number;
}

export interface EvalProgress {
  done: number;
  total: number;
  passed: number;
  costUsd: number;
  cacheHits: number;
}
