/** The `degradation` event of `promptopt eval`: the prompt scored below its threshold. */
import type { NotifyEvent } from '../../notify/types.js';
import type { SplitSummary } from '../../runner/types.js';
import type { Spec, SplitName } from '../../spec/types.js';
import { OBJECTIVE_LABELS, objectiveValue } from '../../runner/objective.js';
import { findVersionByText } from '../../store/index.js';
import { formatPercent } from '../terminal.js';

export interface EvalVerdict {
  spec: Spec;
  /** The template evaluated (the spec's, or --prompt's). */
  prompt: string;
  promptFile?: string;
  split: SplitName | 'all';
  threshold: number;
  summaries: SplitSummary[];
  /** `provider:model` of the target. */
  target: string;
  /** The results file the run wrote (--output, else --junit), absolute. */
  report?: string;
}

export async function degradationEvent(verdict: EvalVerdict): Promise<NotifyEvent> {
  const { spec, split, threshold } = verdict;
  const overall = verdict.summaries.find((s) => s.split === split);
  const score = overall ? objectiveValue(overall, spec.objective) : 0;
  // The version this prompt is, when it is one (an unversioned prompt is `null`).
  const version = (await findVersionByText(spec.versionsDir, verdict.prompt).catch(() => undefined))?.version ?? null;
  const scores: Record<string, number | null> = {};
  for (const summary of verdict.summaries) if (split === 'all' || summary.split === split) scores[summary.split] = objectiveValue(summary, spec.objective);
  const which = version === null ? 'the prompt' : `prompt v${version}`;
  return {
    type: 'degradation',
    task: spec.name,
    summary: `${spec.name}: ${which} scores ${formatPercent(score)} (${OBJECTIVE_LABELS[spec.objective]}) on ${split === 'all' ? 'all cases' : `the ${split} split`}, below its threshold ${formatPercent(threshold)} (target ${verdict.target})`,
    versions: { current: version },
    scores,
    ...(verdict.report !== undefined ? { report: verdict.report } : {}),
    details: {
      command: 'eval',
      split,
      threshold,
      objective: spec.objective,
      passed: overall?.passed ?? 0,
      total: overall?.total ?? 0,
      target: verdict.target,
      spec_file: spec.file,
      prompt_file: verdict.promptFile ?? null,
    },
  };
}
