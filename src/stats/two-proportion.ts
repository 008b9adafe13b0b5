/**
 * Is the difference between two independent proportions k1/n1 and k2/n2 significant (two-sided)?
 *
 * The pooled two-proportion z-test: with p = (k1 + k2) / (n1 + n2),
 *
 *   z = (k1/n1 − k2/n2) / √( p(1 − p)(1/n1 + 1/n2) ),   p-value = 2 · Q(|z|)
 *
 * Its normal approximation needs every expected count (n_i·p and n_i·(1 − p)) to be at least 5;
 * below that, Fisher's exact test on the 2×2 table is used instead: the p-value is the sum of the
 * hypergeometric probabilities of every table with the same margins that is no more likely than the
 * observed one. Example: 45/60 vs 30/60 gives z = 2.8284, p = 0.0047 (z-test).
 */
import { normalUpperTail } from './normal.js';

export interface TwoProportionResult {
  test: 'two-proportion z-test' | 'fisher exact';
  /** k1/n1 − k2/n2. */
  difference: number;
  /** The z statistic (z-test only). */
  z: number | null;
  pValue: number;
}

export const MIN_EXPECTED_COUNT = 5;

export function twoProportionTest(k1: number, n1: number, k2: number, n2: number): TwoProportionResult {
  for (const [k, n] of [[k1, n1], [k2, n2]] as const) {
    if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 1 || k > n) {
      throw new RangeError(`twoProportionTest: need integers 0 <= k <= n, n >= 1 (got ${k}/${n})`);
    }
  }
  const difference = k1 / n1 - k2 / n2;
  const pooled = (k1 + k2) / (n1 + n2);
  const expected = [n1 * pooled, n1 * (1 - pooled), n2 * pooled, n2 * (1 - pooled)];
  if (expected.some((e) => e < MIN_EXPECTED_COUNT)) return { test: 'fisher exact', difference, z: null, pValue: fisherExact(k1, n1, k2, n2) };
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = difference / se;
  return { test: 'two-proportion z-test', difference, z, pValue: Math.min(1, 2 * normalUpperTail(Math.abs(z))) };
}

/** Two-sided Fisher exact test of the table [[k1, n1 − k1], [k2, n2 − k2]]. */
export function fisherExact(k1: number, n1: number, k2: number, n2: number): number {
  const successes = k1 + k2;
  const total = n1 + n2;
  const logP = (a: number) => logChoose(n1, a) + logChoose(n2, successes - a) - logChoose(total, successes);
  const observed = logP(k1);
  let p = 0;
  for (let a = Math.max(0, successes - n2); a <= Math.min(n1, successes); a++) {
    const lp = logP(a);
    // Relative tolerance, so tables exactly as likely as the observed one count despite float noise.
    if (lp <= observed + 1e-7) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

function logFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}
