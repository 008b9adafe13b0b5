/**
 * Acceptance rules, each defined once and composed per phase (see phase plans in training-phase.ts
 * and validation-phase.ts). A rule looks at one candidate against the current prompt on one split and
 * either lets it through or rejects it with a status and a reason:
 *
 * - `strictBelow`: the phase's split may not fall; an equal score passes only at or above
 *   `strict_below` (below it only strict gains count: avoids drifting around 0%).
 * - `significantGain` (`accept: significant`): a gain on the phase's split must pass the paired test,
 *   and an equal score must not be significantly worse on the paired cases.
 * - `noValidationRegression` (training phase): a candidate may not lower validation by more than noise
 *   (the paired test; on a split too small for the test, any drop counts).
 * - `noTrainBreak` (validation phase): a candidate may not fail a train case the current prompt passes.
 *
 * What happens to the candidate that passes every rule (adopted, or recorded as a lateral move) is
 * decided once, in adoption.ts.
 */
import { formatPercent as pct } from '../../util/format-percent.js';
import type { SplitName } from '../../spec/types.js';
import { describePaired, pairedTest, significantlyBetter, significantlyWorse, testCannotReject, type SplitEvidence } from '../paired-test.js';
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
    const [after, before] = [candidate.score.score, current.score.score];
    if (after >= before) return undefined;
    const paired = pairedTest(candidate, current);
    const drop = `validation ${pct(before)} → ${pct(after)}`;
    if (testCannotReject(current.samples.size, settings.alpha)) {
      return { status: 'hurts_validation', reason: `lowered ${drop} (the validation split is too small for a paired test: any drop counts)` };
    }
    if (significantlyWorse(paired, settings.alpha)) {
      return { status: 'hurts_validation', reason: `lowered ${drop}, more than noise (${describePaired(paired)})` };
    }
    return undefined;
  },
};

export const noTrainBreak: AcceptanceRule = {
  name: 'noTrainBreak',
  check({ record }) {
    if (record.broken.length === 0) return undefined;
    return { status: 'breaks_train', reason: `broke ${record.broken.length} train case(s) that passed before` };
  },
};

/** The rules that decide a gain on the phase's split: strict_below always, the paired test with `accept: significant`. */
export function gainRules(settings: RuleSettings): AcceptanceRule[] {
  return settings.accept === 'significant' ? [strictBelow, significantGain] : [strictBelow];
}
