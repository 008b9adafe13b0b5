/**
 * The exact two-level bootstrap distribution by enumeration (the "hand computation"): every ordered
 * draw of S seeds, and for each drawn seed every ordered draw of n cases, equally likely. Returns
 * P(|δ* − δ| ≥ |δ|), which the Monte Carlo p-value (1 + extreme) / (B + 1) estimates.
 */
export function exactTwoLevelP(baseline: number[][], candidate: number[][]): { delta: number; p: number } {
  const d = baseline.map((row, s) => row.map((v, c) => candidate[s]![c]! - v));
  const S = d.length;
  const n = d[0]!.length;
  const delta = d.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0) / n, 0) / S;
  // The distribution of one drawn seed's case mean: every n-tuple of case indices.
  const caseMeans = d.map((row) => {
    const out: number[] = [];
    const walk = (depth: number, sum: number) => {
      if (depth === n) return void out.push(sum / n);
      for (const v of row) walk(depth + 1, sum + v);
    };
    walk(0, 0);
    return out;
  });
  let extreme = 0;
  let total = 0;
  const walkSeeds = (depth: number, sum: number) => {
    if (depth === S) {
      total += 1;
      if (Math.abs(sum / S - delta) >= Math.abs(delta) - 1e-12) extreme += 1;
      return;
    }
    for (let s = 0; s < S; s++) for (const m of caseMeans[s]!) walkSeeds(depth + 1, sum + m);
  };
  walkSeeds(0, 0);
  return { delta, p: extreme / total };
}
