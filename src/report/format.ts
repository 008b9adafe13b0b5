/** Small pure formatters shared by the report renderers. */
import type { StopReason } from '../optimizer/types.js';
import type { ReportData } from './types.js';
import { formatUsd as usd } from '../util/format-usd.js';

/** Why a run stopped, in words. */
export const STOP_REASONS: Record<StopReason, string> = {
  converged: 'converged',
  max_iterations: 'reached the maximum number of iterations',
  patience: 'no improvement within the patience limit',
  budget: 'the cost budget was exhausted',
  interrupted: 'interrupted (the checkpoint allows resuming)',
};

/** `0.875` -> `87.5%`; `—` for an unknown score. */
export function percent(score: number | undefined): string {
  return score === undefined ? '—' : `${(score * 100).toFixed(1)}%`;
}

/** Difference in percentage points: `+12.5 pts`, `-3.0 pts`, `±0 pts`. */
export function deltaPoints(before: number | undefined, after: number | undefined): string {
  if (before === undefined || after === undefined) return '';
  const points = (after - before) * 100;
  if (Math.abs(points) < 0.05) return '±0 pts';
  return `${points > 0 ? '+' : ''}${points.toFixed(1)} pts`;
}

/** USD as every report writes it: no exponent, small amounts with two significant digits. */
export { usd };

export function integer(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `83s` -> `1m 23s`; under a second in ms. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  return m > 0 ? `${m}m ${s}s` : `${s}s`;
}

/** Text on one line, whitespace collapsed, cut at `max` characters with an ellipsis. */
export function oneLine(text: string, max = 240): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** Safe inside a markdown table cell: one line, pipes escaped. */
export function cell(text: string, max?: number): string {
  return oneLine(text, max).replace(/\|/g, '\\|');
}

/** Text inside inline code: backticks cannot close the span early. */
export function code(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** A fenced block whose fence is longer than any backtick run inside the content. */
export function fenced(content: string, lang = ''): string {
  const longest = Math.max(0, ...[...content.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `${fence}${lang}\n${body}${fence}`;
}

export function table(header: string[], rows: string[][]): string {
  const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  return lines.join('\n');
}

/** `3 ($0.0012)`: a count of calls and their value; `—` for none. */
export function callsWorth(calls: number, amountUsd: number): string {
  return calls === 0 ? '—' : `${integer(calls)} (${usd(amountUsd)})`;
}

/** Paid, replayed from the cache and saved by the cache, in one paragraph of plain text. */
export function moneyBreakdown(data: Pick<ReportData, 'totals' | 'calls'>): string {
  const t = data.totals;
  const reserved = t.reservedCalls > 0 ? ` (${integer(t.reservedCalls)} of them counted at their reservation: cut off by a kill or an interrupt before their usage came back)` : '';
  const unpriced = t.unknownCostCalls > 0 ? `, or more: ${integer(t.unknownCostCalls)} call(s) had no known price` : '';
  return [
    `Paid: ${usd(t.costUsd)} for ${integer(data.calls.made)} call(s)${reserved}${unpriced}.`,
    `Replayed from the cache: ${integer(t.replayedCalls)} call(s) this run had already paid for (${usd(t.replayedUsd)}, not paid again).`,
    `Saved: ${integer(t.savedCalls)} call(s) served from the cache, paid for by earlier runs or evals (${usd(t.savedUsd)} not spent).`,
  ].join(' ');
}

/** "8 training + 2 validation iterations (3 lateral moves recorded, not adopted)". */
export function iterationCount(data: Pick<ReportData, 'iterations'>): string {
  const { train, validation, lateral } = data.iterations;
  const laterals = lateral > 0 ? ` (${lateral} lateral move${lateral === 1 ? '' : 's'} recorded, not adopted)` : '';
  return `${train} training + ${validation} validation iteration${train + validation === 1 ? '' : 's'}${laterals}`;
}
