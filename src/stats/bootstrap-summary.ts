/** What both bootstraps (paired, and two-level) make of their resampled mean differences. */

/** The percentile interval at `confidence` of the resampled means (sorted here, in place). */
export function percentileInterval(means: Float64Array, confidence: number): { lower: number; upper: number } {
  means.sort();
  const last = means.length - 1;
  const at = (q: number) => means[Math.min(last, Math.max(0, Math.round(q * last)))]!;
  const alpha = 1 - confidence;
  return { lower: at(alpha / 2), upper: at(1 - alpha / 2) };
}

/** The two-sided p-value from the resamples at least as far from the observed difference as it is from 0. */
export function bootstrapPValue(extreme: number, resamples: number): number {
  return Math.min(1, (1 + extreme) / (resamples + 1));
}
