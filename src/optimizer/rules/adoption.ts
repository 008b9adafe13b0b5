/**
 * What becomes of the iteration's best candidate once every acceptance rule let it through:
 * - a gain on the phase's split: adopted (the new current prompt, written as a version);
 * - the same score there, and a gain on the other split: adopted too (with `accept: significant`, only
 *   when that gain passes the paired test);
 * - the same score on every split: a lateral move, recorded in the trajectory, not adopted;
 * - the same score there and a loss on the other split: rejected.
 */
import { formatPercent as pct } from '../../util/format-percent.js';
import type { SplitName } from '../../spec/types.js';
import { describePaired, pairedTest, significantlyBetter, type SplitEvidence } from '../paired-test.js';
import type { RuleSettings } from './acceptance-rules.js';

export type Adoption =
  | { kind: 'adopt'; reason: string }
  | { kind: 'lateral'; reason: string }
  | { kind: 'reject'; status: 'rejected' | 'not_significant'; reason: string };

export interface AdoptionInput {
  /** The phase's split (train in the training phase, validation in the validation phase). */
  lead: SplitName;
  /** The candidate's and the current prompt's evidence on every split both were scored on this iteration. */
  candidate: Partial<Record<SplitName, SplitEvidence>>;
  current: Partial<Record<SplitName, SplitEvidence>>;
  settings: RuleSettings;
}

export function decideAdoption({ lead, candidate, current, settings }: AdoptionInput): Adoption {
  const splits = (['train', 'validation'] as const).filter((s) => candidate[s] && current[s]);
  const change = (split: SplitName) => `${split} ${pct(current[split]!.score.score)} → ${pct(candidate[split]!.score.score)}`;
  const same = (split: SplitName) => `${split} ${pct(candidate[split]!.score.score)}`;
  const delta = (split: SplitName) => candidate[split]!.score.score - current[split]!.score.score;
  const others = splits.filter((s) => s !== lead);

  if (delta(lead) > 0) return { kind: 'adopt', reason: [change(lead), ...others.map(change)].join(', ') };
  const gained = others.filter((s) => delta(s) > 0);
  const lost = others.filter((s) => delta(s) < 0);
  if (lost.length > 0) return { kind: 'reject', status: 'rejected', reason: `no gain on ${lead} (${same(lead)}) and ${lost.map(change).join(', ')}` };
  if (gained.length > 0) {
    if (settings.accept === 'significant') {
      const weak = gained.find((s) => !significantlyBetter(pairedTest(candidate[s]!, current[s]!), settings.alpha));
      if (weak) {
        return { kind: 'reject', status: 'not_significant', reason: `${lead} unchanged; ${weak} gain not significant (${describePaired(pairedTest(candidate[weak]!, current[weak]!))})` };
      }
    }
    return { kind: 'adopt', reason: `${lead} unchanged at ${pct(candidate[lead]!.score.score)}, ${gained.map(change).join(', ')}` };
  }
  return { kind: 'lateral', reason: `lateral move: the same score on every split (${splits.map(same).join(', ')}); recorded, not adopted` };
}
