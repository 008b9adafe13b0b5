/**
 * The Wilson score interval for a binomial proportion (Wilson 1927): unlike the normal ("Wald")
 * interval it stays inside [0, 1] and keeps its coverage for small n and for rates near 0 or 1.
 * With p̂ = k / n and z the normal quantile (1.959964 for 95%):
 *
 *   center    = (p̂ + z²/(2n)) / (1 + z²/n)
 *   halfWidth = z / (1 + z²/n) · √( p̂(1 − p̂)/n + z²/(4n²) )
 *   interval  = [center − halfWidth, center + halfWidth]
 *
 * Example: 8/10 at 95% → [0.4902, 0.9433]. With n = 0 nothing is known: [0, 1].
 */
export interface Interval {
  lower: number;
  upper: number;
}

/** Φ⁻¹(0.975): the two-sided 95% normal quantile. */
export const Z_95 = 1.959963984540054;

export function wilsonInterval(successes: number, n: number, z = Z_95): Interval {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || n < 0 || successes < 0 || successes > n) {
    throw new RangeError(`wilsonInterval: need integers 0 <= successes <= n (got ${successes}/${n})`);
  }
  if (n === 0) return { lower: 0, upper: 1 };
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const halfWidth = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp float noise at the ends (k = 0 or k = n give exactly 0 or 1 in exact arithmetic).
  return { lower: Math.max(0, center - halfWidth), upper: Math.min(1, center + halfWidth) };
}
