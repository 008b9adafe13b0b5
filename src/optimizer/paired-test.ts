/**
 * McNemar's exact test on paired pass/fail outcomes (same cases, same samples): only discordant
 * pairs count. b = pairs the candidate passes and the baseline fails, c = the reverse.
 * Two-sided p = min(1, 2 * P[X <= min(b, c)]) for X ~ Binomial(b + c, 1/2).
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
