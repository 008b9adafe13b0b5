/**
 * One pair against a reference pair on the same cases: which cases flipped, McNemar's exact test on
 * pass/fail, a seeded paired bootstrap, and the verdict at `alpha`.
 *
 * - Cases where either side had a provider error are left out (a flaky provider is not a
 *   regression; the command exits 3 for them anyway), and so are cases no assertion checked.
 * - With the objective `pass_rate` the verdict rests on McNemar with repeat 1 (pass/fail is all there
 *   is), and on the bootstrap of the mean difference in case pass rates with repeat > 1 (fractions
 *   of samples passed, which pass/fail would throw away). With `mean_score` it rests on the
 *   bootstrap of the mean difference in case scores (partial credit, which pass/fail throws away).
 *   McNemar is always reported (it reads the fixed and broken counts); the bootstrap only when it
 *   decides.
 * - Below `minCases` paired cases there is no verdict: "too few cases (n = 4 < 20)".
 */
import { mcnemarExact } from '../stats/mcnemar.js';
import { pairedBootstrap } from '../stats/paired-bootstrap.js';
import type { CaseResult } from '../runner/types.js';
import type { CompareSettings, PairComparison, PairRun, PairedTestName, Verdict } from './types.js';

export function comparePair(candidate: PairRun, baseline: PairRun, settings: CompareSettings): PairComparison {
  const baseById = new Map(baseline.result.cases.map((c) => [c.caseId, c]));
  const paired: [CaseResult, CaseResult][] = [];
  const excluded: string[] = [];
  for (const cand of candidate.result.cases) {
    const base = baseById.get(cand.caseId);
    if (!base || cand.unchecked || base.unchecked) continue;
    if (cand.providerError || base.providerError) excluded.push(cand.caseId);
    else paired.push([cand, base]);
  }
  const fixed = paired.filter(([c, b]) => c.pass && !b.pass).map(([c]) => c.caseId);
  const broken = paired.filter(([c, b]) => !c.pass && b.pass).map(([c]) => c.caseId);
  const n = paired.length;
  const mcnemar = mcnemarExact(fixed.length, broken.length);
  const test: PairedTestName = settings.objective === 'pass_rate' && settings.repeat === 1 ? 'mcnemar_exact' : 'paired_bootstrap';
  const value = (c: CaseResult) => (settings.objective === 'mean_score' ? c.score : c.passRate);
  const bootstrap =
    test === 'paired_bootstrap'
      ? pairedBootstrap(
          paired.map(([, b]) => value(b)),
          paired.map(([c]) => value(c)),
          { resamples: settings.resamples, seed: settings.seed },
        )
      : undefined;
  const pValue = bootstrap ? bootstrap.pValue : mcnemar.pValue;
  const effect = bootstrap ? bootstrap.meanDifference : fixed.length - broken.length;
  const meanScore = (pick: 0 | 1) => (n === 0 ? 0 : paired.reduce((sum, p) => sum + p[pick].score, 0) / n);
  const verdict = decideVerdict({ n, pValue, effect, alpha: settings.alpha, minCases: settings.minCases });
  const passes = (pick: 0 | 1) => (n === 0 ? 0 : paired.filter((p) => p[pick].pass).length / n);
  return {
    candidate: candidate.pair.id,
    baseline: baseline.pair.id,
    n,
    fixed,
    broken,
    excluded,
    passRateDifference: passes(0) - passes(1),
    scoreDifference: meanScore(0) - meanScore(1),
    mcnemar: { b: mcnemar.b, c: mcnemar.c, pValue: mcnemar.pValue },
    ...(bootstrap
      ? {
          bootstrap: {
            meanDifference: bootstrap.meanDifference,
            interval: bootstrap.interval,
            pValue: bootstrap.pValue,
            resamples: bootstrap.resamples,
            seed: bootstrap.seed,
          },
        }
      : {}),
    test,
    pValue,
    verdict,
    verdictText: verdictText(verdict, settings.minCases, n),
  };
}

export function decideVerdict(input: { n: number; pValue: number; effect: number; alpha: number; minCases: number }): Verdict {
  if (input.n < input.minCases) return 'too_few_cases';
  if (input.pValue < input.alpha && input.effect !== 0) return input.effect > 0 ? 'better' : 'worse';
  return 'no_significant_difference';
}

export function verdictText(verdict: Verdict, minCases: number, n?: number): string {
  switch (verdict) {
    case 'better':
      return 'better';
    case 'worse':
      return 'worse';
    case 'no_significant_difference':
      return 'no significant difference';
    case 'too_few_cases':
      return n === undefined ? `too few cases (n < ${minCases})` : `too few cases (n = ${n} < ${minCases})`;
  }
}
