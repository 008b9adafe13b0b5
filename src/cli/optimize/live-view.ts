/**
 * The terminal view of an optimize run, fed by the engine's events: on a TTY an ora line with the
 * phase, iteration, candidates being scored, best score, cost so far and budget left; otherwise one
 * plain line per event worth logging; with --quiet nothing until the closing summary.
 */
import chalk from 'chalk';
import { startSpinner, type Spinner } from '../spinner.js';
import type { OptimizerEvent } from '../../optimizer/types.js';
import type { ModelCaller } from '../../runner/model-caller.js';
import { formatPercent, formatUsd } from '../terminal.js';

export interface LiveView {
  onEvent(event: OptimizerEvent): void;
  stop(): void;
}

export function createLiveView(options: { stream?: NodeJS.WriteStream; quiet: boolean; caller: ModelCaller; maxCostUsd?: number; maxIterations: number; write: (line: string) => void }): LiveView {
  if (options.quiet) return { onEvent() {}, stop() {} };
  const { caller, maxCostUsd } = options;
  let phase = 'baseline';
  let iteration = 0;
  let scoring = 0;
  let best = 0;
  let spinner: Spinner | undefined;
  const cost = () => {
    const spent = caller.ledger.totalCostUsd;
    return maxCostUsd === undefined ? `cost ${formatUsd(spent)}` : `cost ${formatUsd(spent)} of ${formatUsd(maxCostUsd)} (left ${formatUsd(Math.max(0, maxCostUsd - spent))})`;
  };
  const status = () =>
    `${phase}${iteration ? ` · iteration ${iteration}${phase === 'train' ? `/${options.maxIterations}` : ''}` : ''}${scoring ? ` · scoring ${scoring} candidate(s)` : ''} · best train ${formatPercent(best)} · ${cost()}`;
  const log = (line: string) => {
    if (spinner) spinner.persist(line);
    else options.write(line);
  };
  if (options.stream) spinner = startSpinner(options.stream, status(), options.write);
  const refresh = () => {
    spinner?.setText(status());
  };

  return {
    onEvent(event) {
      switch (event.type) {
        case 'run_started':
          log(`${event.resumed ? 'resuming' : 'starting'} run ${event.runId} (strategy ${event.strategy})`);
          break;
        case 'phase_started':
          phase = event.phase;
          iteration = 0;
          if (event.phase !== 'baseline') log(`phase: ${event.phase}`);
          break;
        case 'baseline_scored':
          best = event.train.score;
          log(
            `baseline v${event.version}: train ${event.train.passed}/${event.train.total} (${formatPercent(event.train.score)})` +
              (event.validation ? ` · validation ${event.validation.passed}/${event.validation.total} (${formatPercent(event.validation.score)})` : ''),
          );
          break;
        case 'iteration_started':
          iteration = event.iteration;
          break;
        case 'candidates_proposed':
          scoring = event.count;
          if (event.invalid) {
            log(`  ${phase} iteration ${event.iteration}: ${event.invalid} candidate(s) rejected before evaluation (${event.invalidReasons.join('; ')})`);
          }
          break;
        case 'candidate_scored':
          if (event.record.status === 'unscored') log(chalk.yellow(`  ${phase} iteration ${event.iteration}: candidate ${event.record.candidate.id} ${event.record.reason}`));
          break;
        case 'iteration_finished': {
          scoring = 0;
          best = event.current.train.score;
          const r = event.record;
          const verdict = r.acceptedId ? chalk.green(`accepted ${r.acceptedId}${r.lateral ? ' (lateral)' : ''}`) : chalk.dim('no candidate accepted');
          log(`  ${r.phase} iteration ${r.iteration}: ${formatPercent(r.scoreBefore)} → ${formatPercent(r.scoreAfter)} · ${verdict} · ${cost()}`);
          break;
        }
        case 'version_written':
          log(event.reused ? `  reused v${event.version} (the same prompt) → ${event.file}` : `  wrote v${event.version} → ${event.file}`);
          break;
        case 'budget_warning':
          log(chalk.yellow(`warning: 80% of the budget spent (${formatUsd(event.spentUsd)} of ${formatUsd(event.maxUsd)})`));
          break;
        case 'test_scored':
          log(`  held-out test: ${event.score.passed}/${event.score.total} (${formatPercent(event.score.score)})`);
          break;
        case 'stopped':
          log(`stopped: ${event.reason}`);
          break;
        default:
          break;
      }
      refresh();
    },
    stop() {
      spinner?.stop();
    },
  };
}
