/**
 * Nearest-rank percentile: the smallest value such that at least p% of the values are at or below
 * it, i.e. the ⌈p/100 · n⌉-th smallest (1-based). Always one of the values, so a person can check it
 * by sorting the list. Example: p50 of [100, 200, 300, 400] is 200, p95 is 400. Undefined for no values.
 */
export function nearestRankPercentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  if (!(p > 0 && p <= 100)) throw new RangeError(`nearestRankPercentile: p must be in (0, 100] (got ${p})`);
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}
