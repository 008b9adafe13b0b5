/**
 * McNemar's exact test on paired pass/fail outcomes (the same cases, and samples, run twice): only
 * the discordant pairs carry evidence.
 *
 *   b = pairs the candidate passes and the baseline fails   ("fixed")
 *   c = pairs the baseline passes and the candidate fails   ("broken")
 *
 * Under H0 (no difference) each discordant pair is equally likely to go either way, so
 * b ~ Binomial(b + c, 1/2), and the two-sided p-value is
 *
 *   p = min(1, 2 · Σ_{i=0}^{min(b,c)} C(b + c, i) / 2^(b + c))
 *
 * (p = 1 when there is no discordant pair). Example: b = 8, c = 1 gives 2 · (1 + 9) / 512 = 0.0390625.
 * The terms are summed in log space, so large n neither overflows nor underflows to 0 too early.
 */
export interface PairedOutcome {
  b: number;
  c: number;
  pValue: number;
}

export function mcnemarExact(b: number, c: number): PairedOutcome {
  const n = b + c;
  if (n === 0) return { b, c, pValue: 1 };
  const k = Math.min(b, c);
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return { b, c, pValue: Math.min(1, 2 * tail) };
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

function logFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}

/** Pairs outcomes by key (`caseId#sample`) and counts the discordant pairs. */
export function pairOutcomes(candidate: Map<string, boolean>, baseline: Map<string, boolean>): PairedOutcome {
  let b = 0;
  let c = 0;
  for (const [key, pass] of candidate) {
    const base = baseline.get(key);
    if (base === undefined) continue;
    if (pass && !base) b += 1;
    if (!pass && base) c += 1;
  }
  return mcnemarExact(b, c);
}
