/**
 * Folding a sample's assertion results into its verdict and what a case result stores, with
 * promptfoo's semantics so its configs map one to one:
 * - the score is the weighted mean of the assertion scores (`weight`, default 1);
 * - the sample passes when every assertion passes, or, when the case has a `threshold` (its own or
 *   `defaults.threshold`), when its score reaches it, whatever single assertions say;
 * - an assertion of weight 0 is reported only (in its named metric, and in the case's details): it
 *   counts neither in the score nor in the verdict (promptfoo's `metricOnly`);
 * - with no assertion that counts (none applies to the case, or all have weight 0) nothing was
 *   checked: the sample is `unchecked`, and pass rates and scores leave it out.
 */
import type { CaseFailure, CaseMetric } from './types.js';
import type { AssertionResult } from './types.js';

export interface SampleGrade {
  pass: boolean;
  /** Weighted mean of the counted assertions' scores, 0..1 (1 when unchecked; never counted then). */
  score: number;
  /** True when no assertion counts: the verdict says nothing about the output. */
  unchecked: boolean;
}

/** Float noise in a weighted mean (0.1 + 0.7 weights) must not fail a score that equals its threshold. */
const THRESHOLD_TOLERANCE = 1e-9;

export function weightOf(result: Pick<AssertionResult, 'weight'>): number {
  return result.weight ?? 1;
}

export function gradeSample(results: readonly AssertionResult[], threshold?: number): SampleGrade {
  const counted = results.filter((r) => weightOf(r) > 0);
  const totalWeight = counted.reduce((sum, r) => sum + weightOf(r), 0);
  if (totalWeight === 0) return { pass: true, score: 1, unchecked: true };
  const score = counted.reduce((sum, r) => sum + r.score * weightOf(r), 0) / totalWeight;
  const pass = threshold === undefined ? counted.every((r) => r.pass) : score >= threshold - THRESHOLD_TOLERANCE;
  return { pass, score, unchecked: false };
}

/**
 * The failed assertions that count, in the shape the runner and feedback stages keep. A sample that
 * failed only because its score is below the case threshold (every assertion passed, with partial
 * scores) gets one `threshold` entry saying so.
 */
export function caseFailuresFrom(results: readonly AssertionResult[], grade?: { pass: boolean; score: number; threshold?: number }): CaseFailure[] {
  const failures: CaseFailure[] = results
    .filter((r) => !r.pass && weightOf(r) > 0)
    .map((r) => ({
      type: r.type,
      category: r.category ?? 'wrong_answer',
      reason: r.reason,
      score: r.score,
      ...(r.metric === undefined ? {} : { metric: r.metric }),
      ...(r.expected === undefined ? {} : { expected: r.expected }),
      ...(r.actual === undefined ? {} : { actual: r.actual }),
      ...(r.details === undefined ? {} : { details: r.details }),
    }));
  if (failures.length === 0 && grade && !grade.pass && grade.threshold !== undefined) {
    failures.push({
      type: 'threshold',
      category: 'wrong_answer',
      reason: `score ${round(grade.score)} is below the case threshold ${grade.threshold} (the weighted mean of its assertion scores)`,
      score: grade.score,
    });
  }
  return failures;
}

/** Per named metric (`metric:`) of one sample: the mean score of its assertions, and whether all passed. */
export function sampleMetrics(results: readonly AssertionResult[]): CaseMetric[] {
  const byName = new Map<string, { sum: number; n: number; pass: boolean }>();
  for (const r of results) {
    if (r.metric === undefined || r.metric === '') continue;
    const m = byName.get(r.metric) ?? { sum: 0, n: 0, pass: true };
    m.sum += r.score;
    m.n += 1;
    m.pass &&= r.pass;
    byName.set(r.metric, m);
  }
  return [...byName].map(([name, m]) => ({ name, score: m.sum / m.n, pass: m.pass }));
}

function round(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}
