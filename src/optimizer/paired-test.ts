/**
 * "More than noise", decided once for the optimizer, by the spec's objective:
 * - `pass_rate`: McNemar's exact test (src/stats/) on the paired pass/fail outcomes of two prompts on
 *   the same cases and samples;
 * - `mean_score`: a seeded paired bootstrap (src/stats/) of the case scores (partial credit, which
 *   pass/fail throws away).
 * With `accept: significant` a gain needs it; a validation drop (and, with `mean_score`, a train drop
 * in the validation phase) counts only beyond it; the final selection keeps the versions not
 * significantly below the best train score by it. A split so small that McNemar's test could never
 * reject (all n pairs one way still gives p = 2/2^n >= alpha: 5 or fewer pairs at 0.05) has no test;
 * the bootstrap, whose p-value can be tiny on 2 cases that moved together, is held to the same floor
 * (n cases), so neither objective reads noise on a handful of cases as evidence. The rules that use a
 * test say what they do then. Cases no assertion checked, and cases a provider error left unscored,
 * are in no pair.
 */
import type { CaseResult, EvalResult } from '../runner/types.js';
import type { Objective, SplitName } from '../spec/types.js';
import { mcnemarExact, pairOutcomes, type PairedOutcome } from '../stats/mcnemar.js';
import { pairedBootstrap } from '../stats/paired-bootstrap.js';
import { scoreSplit } from './score-split.js';
import type { SplitScore } from './types.js';

export { mcnemarExact, pairOutcomes, type PairedOutcome };

/** The optimizer's bootstrap: a fixed seed, so the same two prompts always get the same verdict. */
const BOOTSTRAP = { resamples: 10_000, seed: 0 };

export interface PairedSignificance {
  test: 'mcnemar_exact' | 'paired_bootstrap';
  /** Two-sided p-value of "no difference". */
  pValue: number;
  /** Above 0 when the candidate is ahead on the paired cases, below 0 when behind. */
  effect: number;
  /** How many pairs the test rests on: the discordant (case, sample) pairs for McNemar, the paired cases for the bootstrap. */
  pairs: number;
  /** What the test saw, for reasons: `McNemar p=0.039, fixed 8, broke 1`. */
  summary: string;
}

export interface PairedSignificanceOptions {
  resamples?: number;
  seed?: number;
}

/** One prompt on one split: its compact score, pass/fail per (case, sample) and each case's score, for paired tests. */
export interface SplitEvidence {
  score: SplitScore;
  samples: Map<string, boolean>;
  caseScores: Map<string, number>;
}

export function evidenceOf(split: SplitName, result: EvalResult, objective: Objective): SplitEvidence {
  const cases = result.cases.filter(usable);
  return { score: scoreSplit(split, result.cases, objective), samples: sampleOutcomes(cases), caseScores: caseScores(cases) };
}

/**
 * `baseline` and `candidate`: the case results of the two prompts on the same split. Cases that
 * either side left unchecked or failed with a provider error are left out.
 */
export function pairedSignificance(
  objective: Objective,
  baseline: readonly CaseResult[],
  candidate: readonly CaseResult[],
  options: PairedSignificanceOptions = {},
): PairedSignificance {
  const before = baseline.filter(usable);
  const after = candidate.filter(usable);
  return objective === 'mean_score'
    ? bootstrapSignificance(caseScores(after), caseScores(before), options)
    : mcnemarSignificance(pairOutcomes(sampleOutcomes(after), sampleOutcomes(before)));
}

/** The candidate against the current prompt on the same pairs, by the objective `score` is in. */
export function pairedTest(candidate: SplitEvidence, current: SplitEvidence): PairedSignificance {
  return objectiveOf(current.score) === 'mean_score'
    ? bootstrapSignificance(candidate.caseScores, current.caseScores)
    : mcnemarSignificance(pairOutcomes(candidate.samples, current.samples));
}

/**
 * The same from two compact scores (what the final selection has of every version): case level for
 * McNemar (a case passes when all its samples do); the case scores for the bootstrap (kept on the
 * score under `mean_score`; a score without them is compared on pass/fail).
 */
export function pairedTestOfScores(candidate: SplitScore, current: SplitScore): PairedSignificance {
  if (objectiveOf(current) === 'mean_score' && candidate.caseScores && current.caseScores) {
    return bootstrapSignificance(new Map(Object.entries(candidate.caseScores)), new Map(Object.entries(current.caseScores)));
  }
  const before = new Set(current.passedIds);
  const after = new Set(candidate.passedIds);
  const fixed = candidate.passedIds.filter((id) => !before.has(id)).length;
  const broken = current.passedIds.filter((id) => !after.has(id)).length;
  return mcnemarSignificance(mcnemarExact(fixed, broken));
}

export function significantlyBetter(paired: PairedSignificance, alpha: number): boolean {
  return paired.effect > 0 && paired.pValue < alpha && !testCannotReject(paired.pairs, alpha);
}

export function significantlyWorse(paired: PairedSignificance, alpha: number): boolean {
  return paired.effect < 0 && paired.pValue < alpha && !testCannotReject(paired.pairs, alpha);
}

/** True when the split is too small for the objective's test to reject at `alpha` (McNemar's floor, on cases for the bootstrap). */
export function splitTooSmall(evidence: SplitEvidence, alpha: number): boolean {
  return testCannotReject(objectiveOf(evidence.score) === 'mean_score' ? evidence.caseScores.size : evidence.samples.size, alpha);
}

/** True when `pairs` paired outcomes are too few for McNemar's test to reject at `alpha` (the floor both tests are held to). */
export function testCannotReject(pairs: number, alpha: number): boolean {
  return mcnemarExact(pairs, 0).pValue >= alpha;
}

/** "McNemar p=0.039, fixed 8, broke 1"; "paired bootstrap p=0.012, mean score +6.5 points on 40 cases". */
export function describePaired(paired: PairedSignificance): string {
  return paired.summary;
}

/** The name of the objective's test, for sentences: "McNemar's exact test", "a paired bootstrap". */
export function testLabel(objective: Objective): string {
  return objective === 'mean_score' ? 'a paired bootstrap of the case scores' : "McNemar's exact test";
}

/** McNemar's outcome as a significance: fixed minus broken is the effect. */
export function mcnemarSignificance(outcome: PairedOutcome): PairedSignificance {
  return {
    test: 'mcnemar_exact',
    pValue: outcome.pValue,
    effect: outcome.b - outcome.c,
    pairs: outcome.b + outcome.c,
    summary: `McNemar p=${outcome.pValue.toFixed(3)}, fixed ${outcome.b}, broke ${outcome.c}`,
  };
}

/** The bootstrap on the cases both maps score. */
function bootstrapSignificance(candidate: Map<string, number>, current: Map<string, number>, options: PairedSignificanceOptions = {}): PairedSignificance {
  const ids = [...candidate.keys()].filter((id) => current.has(id));
  const result = pairedBootstrap(
    ids.map((id) => current.get(id)!),
    ids.map((id) => candidate.get(id)!),
    { ...BOOTSTRAP, ...options },
  );
  const sign = result.meanDifference >= 0 ? '+' : '';
  return {
    test: 'paired_bootstrap',
    pValue: result.pValue,
    effect: result.meanDifference,
    pairs: result.n,
    summary: `paired bootstrap p=${result.pValue.toFixed(3)}, mean score ${sign}${(result.meanDifference * 100).toFixed(1)} points on ${result.n} cases`,
  };
}

/** Which figure a score is in (scores written before objectives were pass rates). */
export function objectiveOf(score: SplitScore): Objective {
  return score.objective ?? 'pass_rate';
}

function usable(c: CaseResult): boolean {
  return !c.unchecked && !c.providerError;
}

/** Per (case, sample) pass flags. */
export function sampleOutcomes(cases: readonly CaseResult[]): Map<string, boolean> {
  const outcomes = new Map<string, boolean>();
  for (const c of cases) for (const s of c.samples) outcomes.set(`${c.caseId}#${s.index}`, s.pass);
  return outcomes;
}

function caseScores(cases: readonly CaseResult[]): Map<string, number> {
  return new Map(cases.map((c) => [c.caseId, c.score]));
}
