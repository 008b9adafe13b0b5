/**
 * The rows both report writers show beside the summary: each split's pass rate and mean score (start
 * → final, the objective marked) and unchecked cases, then each named metric. Pure.
 */
import { OBJECTIVE_LABELS } from '../runner/objective.js';
import { percent } from './format.js';
import type { MetricCell, ReportData, ScoreCell } from './types.js';

export interface FigureRow {
  split: string;
  passRate: string;
  meanScore: string;
  unchecked: string;
}

/** `72.0% → 80.0%`, `— → 80.0%` (held-out test), `—` when neither is known. */
function startToFinal(start: number | undefined, final: number | undefined, withStart: boolean): string {
  if (start === undefined && final === undefined) return '—';
  return withStart ? `${percent(start)} → ${percent(final)}` : percent(final);
}

export function figureRows(data: ReportData): FigureRow[] {
  return data.summary.map((row) => {
    const withStart = row.split !== 'test';
    const pick = (key: 'passRate' | 'meanScore') => startToFinal(row.start?.[key], row.final?.[key], withStart);
    return {
      split: row.split === 'test' ? 'test (held out)' : row.split,
      passRate: pick('passRate'),
      meanScore: pick('meanScore'),
      unchecked: uncheckedText(row.start, row.final),
    };
  });
}

function uncheckedText(start: ScoreCell | undefined, final: ScoreCell | undefined): string {
  const n = final?.unchecked ?? start?.unchecked;
  return n === undefined ? '—' : String(n);
}

/** Column titles, the objective's marked. */
export function figureHeaders(data: ReportData): { passRate: string; meanScore: string } {
  const mark = (label: string) => (OBJECTIVE_LABELS[data.objective] === label ? `${label} (objective)` : label);
  return { passRate: mark('pass rate'), meanScore: mark('mean score') };
}

export function metricCellText(cell: MetricCell | undefined): string {
  return cell ? `${percent(cell.score)} (${cell.passed}/${cell.cases} passed)` : '—';
}
