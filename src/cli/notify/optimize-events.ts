/**
 * What `promptopt optimize` tells webhooks: `budget_warning` when spend first crosses 80% of the
 * budget (while the run goes on), and once the run is over `budget_exhausted` when the budget
 * stopped it and `new_version` when the final version beats the start (a higher train score, or a
 * higher validation score). Sends are in the background; `flush` waits for them.
 */
import type { Notifier, NotifyEvent } from '../../notify/types.js';
import { OBJECTIVE_LABELS } from '../../runner/objective.js';
import type { CurrentPrompt, OptimizerEvent, RunState } from '../../optimizer/types.js';
import type { Spec } from '../../spec/types.js';
import { formatPercent, formatUsd } from '../terminal.js';

export interface OptimizeNotifications {
  /** Feed every optimizer event (the command's `emit`). */
  onEvent(event: OptimizerEvent): void;
  /** The run is over and its reports are written: send the closing events. */
  finish(state: RunState, run: { versionFile: string; spentUsd: number }): void;
  flush(): Promise<void>;
}

export interface OptimizeNotifyInput {
  notifier: Notifier;
  spec: Spec;
  runId: string;
  /** The run's report (written at the end; its path is known from the start). */
  report: string;
  maxCostUsd?: number;
  /** The checkpoint a resumed run continues from. */
  resumed?: RunState;
}

interface Snapshot {
  version: number;
  train?: number;
  validation?: number;
}

export function optimizeNotifications(input: OptimizeNotifyInput): OptimizeNotifications {
  const { notifier, spec, runId, report } = input;
  const fromPrompt = (p: CurrentPrompt): Snapshot => ({ version: p.version, train: p.train.score, validation: p.validation?.score });
  let start: Snapshot | undefined = input.resumed && input.resumed.start.version > 0 ? fromPrompt(input.resumed.start) : undefined;
  let current: Snapshot | undefined = input.resumed && input.resumed.current.version > 0 ? fromPrompt(input.resumed.current) : undefined;
  const base = { task: spec.name, report };
  const send = (event: NotifyEvent) => void notifier.send(event);

  return {
    onEvent(event) {
      if (event.type === 'baseline_scored') {
        start = { version: event.version, train: event.train.score, validation: event.validation?.score };
        current = start;
      } else if (event.type === 'iteration_finished' || event.type === 'final_selected') {
        current = fromPrompt(event.current);
      } else if (event.type === 'budget_warning') {
        const share = event.maxUsd > 0 ? event.spentUsd / event.maxUsd : 1;
        send({
          type: 'budget_warning',
          ...base,
          summary: `${spec.name}: optimize run ${runId} has spent ${formatUsd(event.spentUsd)} of its ${formatUsd(event.maxUsd)} budget (${Math.round(share * 100)}%)`,
          versions: { start: start?.version ?? null, current: current?.version ?? null },
          scores: { train: current?.train ?? null, validation: current?.validation ?? null },
          details: { command: 'optimize', run_id: runId, objective: spec.objective, spent_usd: event.spentUsd, max_usd: event.maxUsd, spent_fraction: share },
        });
      }
    },

    finish(state, run) {
      const versions = { start: state.start.version, current: state.current.version };
      const scores = {
        train: state.current.train.total > 0 ? state.current.train.score : null,
        validation: state.current.validation?.score ?? null,
        test: state.test?.score ?? null,
      };
      if (state.stopReason === 'budget') {
        send({
          type: 'budget_exhausted',
          ...base,
          summary: `${spec.name}: optimize run ${runId} stopped: its ${formatUsd(input.maxCostUsd ?? null)} budget is spent (${formatUsd(run.spentUsd)}); best prompt so far v${state.current.version}`,
          versions,
          scores,
          details: { command: 'optimize', run_id: runId, objective: spec.objective, spent_usd: run.spentUsd, max_usd: input.maxCostUsd ?? null, stop_reason: state.stopReason },
        });
      }
      if (beatsStart(state)) {
        const pct = (n: number | null | undefined) => (n === null || n === undefined ? '–' : formatPercent(n));
        const parts = [`train ${pct(state.start.train.score)} → ${pct(scores.train)}`];
        if (state.start.validation || state.current.validation) parts.push(`validation ${pct(state.start.validation?.score)} → ${pct(scores.validation)}`);
        if (scores.test !== null) parts.push(`held-out test ${pct(scores.test)}`);
        send({
          type: 'new_version',
          ...base,
          summary: `${spec.name}: new prompt version v${state.current.version} (from v${state.start.version}): ${parts.join(', ')} (${OBJECTIVE_LABELS[spec.objective]})`,
          versions: { from: state.start.version, to: state.current.version },
          scores: { ...scores, start_train: state.start.train.score, start_validation: state.start.validation?.score ?? null },
          details: {
            command: 'optimize',
            run_id: runId,
            objective: spec.objective,
            version_file: run.versionFile,
            stop_reason: state.stopReason ?? null,
            iterations: state.iterations.length,
            cost_usd: run.spentUsd,
          },
        });
      }
    },

    flush: () => notifier.flush(),
  };
}

/** The final version is another one than the start, with a better train or validation score. */
export function beatsStart(state: RunState): boolean {
  const { start, current } = state;
  if (current.version === start.version || current.version === 0 || start.version === 0) return false;
  const trainUp = current.train.total > 0 && current.train.score > start.train.score;
  const validationUp = start.validation !== undefined && current.validation !== undefined && current.validation.score > start.validation.score;
  return trainUp || validationUp;
}
