/**
 * What the eval runner produces: one result per case (each with `repeat` samples), and a summary per
 * split. The feedback stage, the optimizer, the reports and `eval --json` all read these.
 */
import type { AssertionDetails, AssertionResult, FailureCategory } from '../assertions/types.js';
import type { SplitName } from '../spec/types.js';

export interface SampleResult {
  /** 0-based sample index (part of the cache key). */
  index: number;
  output: string;
  pass: boolean;
  /** Mean of assertion scores (1 when there are none and the call succeeded). */
  score: number;
  assertions: AssertionResult[];
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  latencyMs: number;
  cacheHit: boolean;
  /** Set when the model call failed after retries: the case counts as failed, the run exits 3. */
  providerError?: { code: string; message: string };
}

export interface CaseFailure {
  type: string;
  category: FailureCategory;
  reason: string;
  /** The assertion's `metric:` name, when the spec gave one. */
  metric?: string;
  /** The failed assertion's score, 0..1. */
  score?: number;
  expected?: string;
  actual?: string;
  /** Structured facts behind the failure, for feedback. */
  details?: AssertionDetails;
}

export interface CaseResult {
  caseId: string;
  split: SplitName;
  vars: Record<string, unknown>;
  expected?: unknown;
  /** Output of the first sample (what reports show). */
  output: string;
  /** True when every sample passes every assertion... */
  pass: boolean;
  /** ...and the score is the fraction of samples that passed (1/0 without repeat). */
  score: number;
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

export interface SplitSummary {
  split: SplitName | 'all';
  total: number;
  passed: number;
  /** Mean of case scores, 0..1. */
  score: number;
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
