/** A 0..1 score as a percentage with one decimal: 0.4178 → `41.8%`. */
export function formatPercent(score: number): string {
  return `${(score * 100).toFixed(1)}%`;
}
