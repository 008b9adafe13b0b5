/**
 * A paired bootstrap test for a difference in mean score between two systems scored on the same
 * cases (Efron & Tibshirani 1993, §16.4; Koehn 2004 for its use on NLP evals).
 *
 * With per-case differences d_i = candidate_i − baseline_i (i = 1..n) and observed δ = mean(d):
 *   1. draw B resamples of n indices uniformly with replacement (a seeded mulberry32 stream,
 *      so a given seed always gives the same answer), and take δ*_r = mean of d over each resample;
 *   2. confidence interval: the percentile interval of the δ*_r, i.e. the sorted δ* values at
 *      ranks ⌊(α/2)·(B−1)⌉ and ⌊(1−α/2)·(B−1)⌉ (α = 1 − confidence, nearest rank);
 *   3. two-sided p-value of H0 "no difference": the bootstrap distribution shifted to mean 0 by
 *      subtracting δ, and p = (1 + #{r : |δ*_r − δ| ≥ |δ|}) / (B + 1). The +1s count the observed
 *      sample itself, so p is never 0 and p = 1 when δ = 0.
 *
 * Resampling whole cases keeps each case's pairing: that is what makes it a paired test.
 */
import { seededRandom } from '../util/seeded-random.js';
import type { Interval } from './wilson.js';
import { bootstrapPValue, percentileInterval } from './bootstrap-summary.js';

export interface PairedBootstrapOptions {
  /** B, default 10,000. */
  resamples?: number;
  /** PRNG seed, default 0. */
  seed?: number;
  /** Level of the confidence interval, default 0.95. */
  confidence?: number;
}

export interface PairedBootstrapResult {
  n: number;
  /** δ: mean(candidate − baseline). */
  meanDifference: number;
  /** Percentile interval of δ at `confidence`. */
  interval: Interval;
  pValue: number;
  resamples: number;
  seed: number;
}

export const DEFAULT_RESAMPLES = 10_000;

export function pairedBootstrap(baseline: readonly number[], candidate: readonly number[], options: PairedBootstrapOptions = {}): PairedBootstrapResult {
  if (baseline.length !== candidate.length) {
    throw new RangeError(`pairedBootstrap: paired samples must have the same length (${baseline.length} vs ${candidate.length})`);
  }
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const seed = options.seed ?? 0;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`pairedBootstrap: resamples must be a whole number >= 1 (got ${resamples})`);
  const n = baseline.length;
  if (n === 0) return { n, meanDifference: 0, interval: { lower: 0, upper: 0 }, pValue: 1, resamples, seed };

  const d = candidate.map((value, i) => value - baseline[i]!);
  const observed = mean(d);
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  let extreme = 0;
  // Tolerance for float noise in the means: a resample exactly as far out as δ counts as extreme.
  const bar = Math.abs(observed) - 1e-12;
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += d[Math.floor(random() * n)]!;
    const value = sum / n;
    means[r] = value;
    if (Math.abs(value - observed) >= bar) extreme += 1;
  }
  return {
    n,
    meanDifference: observed,
    interval: percentileInterval(means, confidence),
    pValue: bootstrapPValue(extreme, resamples),
    resamples,
    seed,
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
