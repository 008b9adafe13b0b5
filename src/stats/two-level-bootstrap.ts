/**
 * A paired two-level bootstrap for a difference in mean score between two systems that were each
 * run several times (seeds) and scored on the same cases: two optimizer strategies on one task, each
 * run with seeds 1..S and scored on the same n held-out cases. Both sources of variance count: which
 * runs happened (seeds) and which cases were drawn (cases). Pooling the S × n case scores into one
 * sample and resampling cases alone ignores the first, and its p-values come out too small.
 *
 * With d[s][c] = candidate[s][c] − baseline[s][c] (paired by seed index and by case) and observed
 * δ = mean over s of mean over c of d[s][c]:
 *   1. one resample draws S seed indices uniformly with replacement, then for each drawn seed n case
 *      indices uniformly with replacement (a fresh draw per drawn seed), and takes δ* = the mean over
 *      the drawn seeds of the mean of d over that seed's drawn cases (Davison & Hinkley 1997, §3.8,
 *      "Hierarchical data": resampling at both stages; Ren et al. 2010 for two-level resampling);
 *   2. B resamples from a seeded mulberry32 stream (the same seed always gives the same answer);
 *   3. confidence interval: the percentile interval of the δ*;
 *   4. two-sided p-value of H0 "no difference", as in paired-bootstrap.ts: the bootstrap
 *      distribution shifted to mean 0, p = (1 + #{r : |δ*_r − δ| ≥ |δ|}) / (B + 1).
 *
 * A baseline that was evaluated once (the starting prompt) is the same row for every seed.
 */
import { seededRandom } from '../util/seeded-random.js';
import type { Interval } from './wilson.js';
import { bootstrapPValue, percentileInterval } from './bootstrap-summary.js';

export interface TwoLevelBootstrapOptions {
  /** B, default 10,000. */
  resamples?: number;
  /** PRNG seed, default 0. */
  seed?: number;
  /** Level of the confidence interval, default 0.95. */
  confidence?: number;
}

export interface TwoLevelBootstrapResult {
  /** S: paired runs (seeds). */
  seeds: number;
  /** n: paired cases per run. */
  cases: number;
  /** δ: mean over seeds of the mean over cases of candidate − baseline. */
  meanDifference: number;
  /** The per-seed mean differences (what the seed level resamples). */
  seedDifferences: number[];
  interval: Interval;
  pValue: number;
  resamples: number;
  seed: number;
}

export const TWO_LEVEL_RESAMPLES = 10_000;

/** `baseline[s][c]` and `candidate[s][c]`: score of case c in run s (same shape, the same case order in every run). */
export function twoLevelBootstrap(
  baseline: readonly (readonly number[])[],
  candidate: readonly (readonly number[])[],
  options: TwoLevelBootstrapOptions = {},
): TwoLevelBootstrapResult {
  const resamples = options.resamples ?? TWO_LEVEL_RESAMPLES;
  const seed = options.seed ?? 0;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 1) throw new RangeError(`twoLevelBootstrap: resamples must be a whole number >= 1 (got ${resamples})`);
  if (baseline.length !== candidate.length) throw new RangeError(`twoLevelBootstrap: ${baseline.length} baseline runs vs ${candidate.length} candidate runs`);
  const S = baseline.length;
  const n = baseline[0]?.length ?? 0;
  const d = baseline.map((row, s) => {
    const other = candidate[s]!;
    if (row.length !== n || other.length !== n) throw new RangeError(`twoLevelBootstrap: run ${s + 1} has ${row.length} / ${other.length} cases, expected ${n}`);
    return Float64Array.from(row, (value, c) => other[c]! - value);
  });
  const seedDifferences = d.map((row) => mean(row));
  if (S === 0 || n === 0) return { seeds: S, cases: n, meanDifference: 0, seedDifferences, interval: { lower: 0, upper: 0 }, pValue: 1, resamples, seed };

  const observed = mean(seedDifferences);
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  let extreme = 0;
  const bar = Math.abs(observed) - 1e-12; // float noise: a resample exactly as far out as δ counts
  for (let r = 0; r < resamples; r++) {
    let total = 0;
    for (let i = 0; i < S; i++) {
      const row = d[Math.floor(random() * S)]!;
      let sum = 0;
      for (let j = 0; j < n; j++) sum += row[Math.floor(random() * n)]!;
      total += sum / n;
    }
    const value = total / S;
    means[r] = value;
    if (Math.abs(value - observed) >= bar) extreme += 1;
  }
  return {
    seeds: S,
    cases: n,
    meanDifference: observed,
    seedDifferences,
    interval: percentileInterval(means, confidence),
    pValue: bootstrapPValue(extreme, resamples),
    resamples,
    seed,
  };
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length === 0 ? 0 : sum / values.length;
}
