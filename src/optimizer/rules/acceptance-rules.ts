/**
 * Acceptance rules, each defined once and composed per phase (see phase plans in training-phase.ts
 * and validation-phase.ts). A rule looks at one candidate against the current prompt on one split and
 * either lets it through or rejects it with a status and a reason:
 *
 * Scores are the spec's objective (the pass rate or the mean score), and "the paired test" is the
 * objective's (paired-test.ts: McNemar's exact test for the pass rate, a paired bootstrap of the case
 * scores for the mean score).
 *
 * - `strictBelow`: the phase's split may not fall; an equal score passes only at or above
 *   `strict_below` (below it only strict gains count: avoids drifting around 0%).
 * - `significantGain` (`accept: significant`): a gain on the phase's split must pass the paired test,
 *   and an equal score must not be significantly worse on the paired cases.
 * - `noValidationRegression` (training phase): a candidate may not lower validation by more than noise
 *   (the paired test; on a split too small for the test, any drop counts).
 * - `noTrainBreak` (validation phase): with `pass_rate`, a candidate may not fail a train case the
 *   current prompt passes; with `mean_score`, it may not lower the train mean score by more than noise
 *   (the paired bootstrap; on a split too small for the test, any drop counts): case scores move a
 *   little with every rewording, so "no case may lose any score" would refuse every candidate.
 *
 * What happens to the candidate that passes every rule (adopted, or recorded as a lateral move) is
 * decided once, in adoption.ts.
 */
import { formatPercent as pct } from '../../util/format-percent.js';
import type { SplitName } from '../../spec/types.js';
import { describePaired, objectiveOf, pairedTest, significantlyBetter, significantlyWorse, splitTooSmall, type SplitEvidence } from '../paired-test.js';
import type { CandidateRecord, CandidateStatus } from '../types.js';

export interface RuleSettings {
  strictBelow: number;
  accept: 'score' | 'significant';
  alpha: number;
}

export interface RuleInput {
  split: SplitName;
  candidate: SplitEvidence;
  current: SplitEvidence;
  record: CandidateRecord;
  settings: RuleSettings;
}

export interface Rejection {
  status: Exclude<CandidateStatus, 'accepted' | 'lateral' | 'unscored' | 'invalid'>;
  reason: string;
}

export interface AcceptanceRule {
  readonly name: string;
  check(input: RuleInput): Rejection | undefined;
}

export const strictBelow: AcceptanceRule = {
  name: 'strictBelow',
  check({ split, candidate, current, settings }) {
    const [after, before] = [candidate.score.score, current.score.score];
    if (after < before) return { status: 'rejected', reason: `${split} ${pct(after)} < current ${pct(before)}` };
    if (after === before && before < settings.strictBelow) {
      return { status: 'rejected', reason: `no improvement at ${pct(before)} (below ${pct(settings.strictBelow)} only strict gains are accepted)` };
    }
    return undefined;
  },
};

export const significantGain: AcceptanceRule = {
  name: 'significantGain',
  check({ split, candidate, current, settings }) {
    const paired = pairedTest(candidate, current);
    if (candidate.score.score > current.score.score && !significantlyBetter(paired, settings.alpha)) {
      return { status: 'not_significant', reason: `${split} gain not significant (${describePaired(paired)})` };
    }
    if (candidate.score.score === current.score.score && significantlyWorse(paired, settings.alpha)) {
      return { status: 'not_significant', reason: `significantly worse on paired ${split} cases (${describePaired(paired)})` };
    }
    return undefined;
  },
};

export const noValidationRegression: AcceptanceRule = {
  name: 'noValidationRegression',
  check({ candidate, current, settings }) {
    const drop = dropBeyondNoise(candidate, current, settings.alpha);
    return drop ? { status: 'hurts_validation', reason: drop } : undefined;
  },
};

export const noTrainBreak: AcceptanceRule = {
  name: 'noTrainBreak',
  check({ candidate, current, record, settings }) {
    if (objectiveOf(current.score) === 'mean_score') {
      const drop = dropBeyondNoise(candidate, current, settings.alpha);
      return drop ? { status: 'breaks_train', reason: drop } : undefined;
    }
    if (record.broken.length === 0) return undefined;
    return { status: 'breaks_train', reason: `broke ${record.broken.length} train case(s) that passed before` };
  },
};

/** Why the candidate's score on the split fell by more than noise (any drop on a split too small for the test); undefined when it did not. */
function dropBeyondNoise(candidate: SplitEvidence, current: SplitEvidence, alpha: number): string | undefined {
  const [after, before] = [candidate.score.score, current.score.score];
  if (after >= before) return undefined;
  const split = current.score.split;
  const drop = `${split} ${pct(before)} → ${pct(after)}`;
  if (splitTooSmall(current, alpha)) return `lowered ${drop} (the ${split} split is too small for a paired test: any drop counts)`;
  const paired = pairedTest(candidate, current);
  return significantlyWorse(paired, alpha) ? `lowered ${drop}, more than noise (${describePaired(paired)})` : undefined;
}

/** The rules that decide a gain on the phase's split: strict_below always, the paired test with `accept: significant`. */
export function gainRules(settings: RuleSettings): AcceptanceRule[] {
  return settings.accept === 'significant' ? [strictBelow, significantGain] : [strictBelow];
}
