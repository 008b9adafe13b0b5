/**
 * The terminal view of an optimize run, fed by the engine's events: on a TTY an ora line with the
 * phase, iteration, candidates being scored, the current prompt's score on the phase's split ("best
 * train", "best validation") with the other split and the generalization gap, cost so far and budget
 * left; otherwise one plain line per event worth logging; with --quiet nothing until the closing summary.
 * When the target or the optimizer is the built-in simulator, the status line and the run's first line
 * say SIMULATED (its scores and costs say nothing about a real model).
 */
import chalk from 'chalk';
import { startSpinner, type Spinner } from '../spinner.js';
import type { CurrentPrompt, OptimizerEvent, SplitScore } from '../../optimizer/types.js';
import { describeGap, generalizationGap } from '../../report/generalization-gap.js';
import type { ModelCaller } from '../../runner/model-caller.js';
import { OBJECTIVE_LABELS } from '../../runner/objective.js';
import type { Objective } from '../../spec/types.js';
import { formatPercent, formatUsd } from '../terminal.js';

export interface LiveView {
  onEvent(event: OptimizerEvent): void;
  stop(): void;
}

export function createLiveView(options: {
  stream?: NodeJS.WriteStream;
  quiet: boolean;
  caller: ModelCaller;
  maxCostUsd?: number;
  maxIterations: number;
  validationIterations: number;
  /** The roles played by the built-in simulator. */
  simulated?: ('target' | 'optimizer')[];
  write: (line: string) => void;
}): LiveView {
  if (options.quiet) return { onEvent() {}, stop() {} };
  const { caller, maxCostUsd } = options;
  let phase = 'baseline';
  let iteration = 0;
  let scoring = 0;
  let current: Pick<CurrentPrompt, 'train' | 'validation'> | undefined;
  let spinner: Spinner | undefined;
  const cost = () => {
    const spent = caller.ledger.totalCostUsd;
    return maxCostUsd === undefined ? `cost ${formatUsd(spent)}` : `cost ${formatUsd(spent)} of ${formatUsd(maxCostUsd)} (left ${formatUsd(Math.max(0, maxCostUsd - spent))})`;
  };
  const simulated = options.simulated?.length ? `SIMULATED ${options.simulated.join(' and ')}` : undefined;
  const simulatedTag = simulated ? `${chalk.yellow(simulated)} · ` : '';
  const limit = () => (phase === 'train' ? `/${options.maxIterations}` : phase === 'validation' ? `/${options.validationIterations}` : '');
  const status = () =>
    `${simulatedTag}${phase}${iteration ? ` · iteration ${iteration}${limit()}` : ''}${scoring ? ` · scoring ${scoring} candidate(s)` : ''}${scores()} · ${cost()}`;
  /**
   * " · pass rate (objective): best train 60.0% · validation 38.3% · gap train − validation +21.7 pts ·
   * mean score: train 72.3% · validation 40.1%" (in the validation phase, validation first).
   */
  const scores = () => {
    if (!current) return '';
    const objective = objectiveOf(current.train);
    const train = formatPercent(current.train.score);
    const validation = current.validation ? formatPercent(current.validation.score) : undefined;
    const gap = describeGap(generalizationGap({ train: current.train.score, validation: current.validation?.score }, objective));
    const validationFirst = phase === 'validation' && validation !== undefined;
    const parts = validationFirst ? [`best validation ${validation}`, `train ${train}`] : [`best train ${train}`, ...(validation ? [`validation ${validation}`] : [])];
    // The other figure, when the scores carry it (checkpoints from before objectives do not).
    const other = otherFigure(objective);
    const [otherTrain, otherValidation] = [current.train[other.key], current.validation?.[other.key]];
    const others = [
      ...(otherTrain !== undefined ? [`train ${formatPercent(otherTrain)}`] : []),
      ...(otherValidation !== undefined ? [`validation ${formatPercent(otherValidation)}`] : []),
    ];
    const shown = others.length ? ` · ${other.label}: ${(validationFirst ? others.reverse() : others).join(' · ')}` : '';
    return ` · ${OBJECTIVE_LABELS[objective]} (objective): ${parts.join(' · ')}${gap ? ` · gap ${gap}` : ''}${shown}`;
  };
  const gapWarning = (prompt: Pick<CurrentPrompt, 'train' | 'validation'>, test?: number) => {
    const gap = generalizationGap({ train: prompt.train.score, validation: prompt.validation?.score, test }, objectiveOf(prompt.train));
    return gap.warning ? chalk.yellow(`  ⚠ ${gap.warning}`) : undefined;
  };
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
          log(
            `${event.resumed ? 'resuming' : 'starting'} run ${event.runId} (strategy ${event.strategy})` +
              (simulated ? ` · ${chalk.yellow(simulated)}: the built-in simulator, not a real model` : ''),
          );
          break;
        case 'phase_started':
          phase = event.phase;
          iteration = 0;
          if (event.phase !== 'baseline') log(`phase: ${event.phase}`);
          break;
        case 'baseline_scored':
          current = { train: event.train, validation: event.validation };
          log(`baseline v${event.version}: train ${figures(event.train)}` + (event.validation ? ` · validation ${figures(event.validation)}` : ''));
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
          const warnBefore = current ? gapWarning(current) : undefined;
          current = event.current;
          const r = event.record;
          const verdict = r.acceptedId
            ? chalk.green(`adopted ${r.acceptedId}`)
            : r.lateralId
              ? chalk.dim(`lateral ${r.lateralId}: the same score on every split, recorded, not adopted`)
              : chalk.dim('no candidate adopted');
          log(`  ${r.phase} iteration ${r.iteration}: ${formatPercent(r.scoreBefore)} → ${formatPercent(r.scoreAfter)} · ${verdict} · ${cost()}`);
          const screened = r.candidates.filter((c) => c.status === 'screened_out');
          if (screened.length > 0) {
            const saved = screened.reduce((n, c) => n + (c.minibatch?.savedCalls ?? 0), 0);
            log(chalk.dim(`    ${screened.length} candidate(s) screened out on their minibatch (no gain over the parent): ${saved} target call(s) saved`));
          }
          const warning = gapWarning(event.current);
          if (warning && !warnBefore) log(warning); // once, when the gap goes over the line
          break;
        }
        case 'final_selected':
          current = event.current;
          log(`final version ${event.selection.reason}`);
          break;
        case 'version_written':
          log(event.reused ? `  reused v${event.version} (the same prompt) → ${event.file}` : `  wrote v${event.version} → ${event.file}`);
          break;
        case 'budget_warning':
          log(chalk.yellow(`warning: 80% of the budget spent (${formatUsd(event.spentUsd)} of ${formatUsd(event.maxUsd)})`));
          break;
        case 'test_scored': {
          const gap = current ? describeGap(generalizationGap({ train: current.train.score, test: event.score.score }, objectiveOf(event.score))) : '';
          log(`  held-out test: ${figures(event.score)}${gap ? ` · gap ${gap}` : ''}`);
          const warning = current && gapWarning({ train: current.train }, event.score.score);
          if (warning) log(warning);
          break;
        }
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

/** Which figure a score is in (scores from before objectives were pass rates). */
function objectiveOf(score: Pick<SplitScore, 'objective'>): Objective {
  return score.objective ?? 'pass_rate';
}

function otherFigure(objective: Objective): { key: 'passRate' | 'meanScore'; label: string } {
  return objective === 'mean_score' ? { key: 'passRate', label: 'pass rate' } : { key: 'meanScore', label: 'mean score' };
}

/** "6/10 passed, pass rate 60.0% (objective), mean score 72.3%": the objective's figure first. */
function figures(score: SplitScore): string {
  const objective = objectiveOf(score);
  const other = otherFigure(objective);
  const value = score[other.key];
  return `${score.passed}/${score.total} passed, ${OBJECTIVE_LABELS[objective]} ${formatPercent(score.score)} (objective)${value === undefined ? '' : `, ${other.label} ${formatPercent(value)}`}`;
}
