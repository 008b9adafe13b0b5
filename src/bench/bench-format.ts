/**
 * The bench table's columns and cells, shared by the Markdown and HTML renderers so both say the
 * same thing in the same words. Pure.
 */
import { duration, integer, percent, usd } from '../report/format.js';
import { OBJECTIVE_LABELS } from '../runner/objective.js';
import { formatP, START_ROW, type PairVerdict, type StrategyRow, type TaskSummary } from './summarize.js';

export interface Column {
  header: string;
  /** Right-aligned figures. */
  numeric: boolean;
  cell(row: StrategyRow): string;
}

/** True when every model of the task is free (the simulator): the table counts calls, not dollars. */
export function countsCalls(summary: Pick<TaskSummary, 'task'>): boolean {
  return summary.task.simulated.target && summary.task.simulated.optimizer;
}

export function columns(summary: TaskSummary): Column[] {
  const calls = countsCalls(summary);
  const start = (row: StrategyRow) => row.strategy === START_ROW;
  return [
    { header: 'strategy', numeric: false, cell: (r) => (start(r) ? 'starting prompt' : r.strategy) },
    { header: 'runs', numeric: true, cell: (r) => (start(r) ? '—' : String(r.runs)) },
    { header: 'test mean ± sd', numeric: true, cell: (r) => `${percent(r.test.mean)}${r.test.sd !== undefined ? ` ± ${(r.test.sd * 100).toFixed(1)}` : ''}` },
    { header: 'test median', numeric: true, cell: (r) => percent(r.test.median) },
    { header: 'validation', numeric: true, cell: (r) => percent(r.validation) },
    { header: 'not worse than start', numeric: true, cell: (r) => (r.notWorse === undefined ? '—' : `${Math.round(r.notWorse * r.runs)}/${r.runs}`) },
    { header: 'iterations', numeric: true, cell: (r) => (r.iterations === undefined ? '—' : r.iterations.toFixed(1)) },
    { header: 'target calls / run', numeric: true, cell: (r) => integer(r.targetCalls) },
    { header: 'optimizer calls / run', numeric: true, cell: (r) => (start(r) ? '—' : r.optimizerCalls.toFixed(1)) },
    { header: 'sent to provider', numeric: true, cell: (r) => integer(r.serverRequests) },
    { header: 'tokens / run', numeric: true, cell: (r) => integer(r.tokens) },
    { header: 'cost / run', numeric: true, cell: (r) => (calls ? '$0 (sim)' : `${usd(r.costUsd)}${r.costKnown ? '' : '+'}`) },
    { header: 'wall / run', numeric: true, cell: (r) => duration(r.wallMs) },
    calls
      ? { header: 'test gain per 1k calls', numeric: true, cell: (r) => (start(r) || r.gainPerKiloCalls === undefined ? '—' : signedPoints(r.gainPerKiloCalls)) }
      : { header: 'test gain per $', numeric: true, cell: (r) => (start(r) || r.gainPerUsd === undefined ? '—' : signedPoints(r.gainPerUsd)) },
    { header: 'stopped by', numeric: false, cell: (r) => stops(r) },
  ];
}

/** What each column means, once under the table. */
export function columnNotes(summary: TaskSummary): string[] {
  return [
    `"test" is the held-out test ${OBJECTIVE_LABELS[summary.task.objective]} of each run's final version (${summary.start ? Object.keys(summary.start.testCases).length : 0} cases), scored once, outside the budget; mean ± sample SD and median over seeds, in %.`,
    '"not worse than start": runs whose test score is at least the starting prompt\'s.',
    '"target / optimizer calls / run": what the budget charged a run (cache hits and failed calls count as calls; the held-out test does not).',
    '"sent to provider": requests the model provider actually received for the row, all its runs together (retries included, cache hits not); the table\'s rows add up to what the bench sent.',
    countsCalls(summary)
      ? 'The simulator is free: cost is not counted, and the gain is in test points per 1,000 target calls charged.'
      : '"test gain per $": test points gained over the starting prompt per dollar charged (cache hits as if paid).',
  ];
}

export function signedPoints(points: number): string {
  return `${points >= 0 ? '+' : ''}${points.toFixed(points !== 0 && Math.abs(points) < 0.1 ? 3 : 1)} pts`;
}

function stops(row: StrategyRow): string {
  const parts = Object.entries(row.stopReasons)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${reason} (${n} run${n === 1 ? '' : 's'})`);
  const byBench = row.testScoredByBench > 0 ? ` (test scored by the bench for ${row.testScoredByBench})` : '';
  return parts.length === 0 ? '—' : parts.join(', ') + byBench;
}

export const PAIR_HEADERS = ['comparison', 'Δ test (a − b)', '95% CI', 'p', 'effect size (d)', 'seeds × cases', 'verdict'] as const;

export function pairCells(pair: PairVerdict): string[] {
  const pts = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}`;
  const b = pair.b === START_ROW ? 'starting prompt' : pair.b;
  return [
    `${pair.a} vs ${b}`,
    `${pts(pair.meanDifference)} pts`,
    `[${pts(pair.interval.lower)}, ${pts(pair.interval.upper)}]`,
    formatP(pair.pValue),
    pair.standardized === undefined ? '—' : pair.standardized.toFixed(2),
    `${pair.seeds} × ${pair.cases}`,
    verdictWords(pair),
  ];
}

export function verdictWords(pair: PairVerdict): string {
  const b = pair.b === START_ROW ? 'the starting prompt' : pair.b;
  switch (pair.verdict) {
    case 'better':
      return `${pair.a} better than ${b}`;
    case 'worse':
      return `${pair.a} worse than ${b}`;
    case 'no_significant_difference':
      return 'no significant difference';
    case 'too_few_runs':
      return 'too few runs to tell';
  }
}

export function budgetWords(summary: Pick<TaskSummary, 'task'>): string {
  const { maxTargetCalls, maxUsd } = summary.task.budget;
  const parts = [maxTargetCalls !== undefined ? `${integer(maxTargetCalls)} target calls` : '', maxUsd !== undefined ? usd(maxUsd) : ''].filter(Boolean);
  return parts.length > 0 ? `${parts.join(' and ')} per run` : 'none (each run stops at the spec\'s iteration limits)';
}
