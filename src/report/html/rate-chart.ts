/**
 * A pass-rate chart with intervals, inline SVG: one row per entry, its label above a bar from 0 to
 * the rate and a whisker over its interval, on a shared 0–100 % axis. The label carries the figures
 * (`46.7% (140/300) · 95% CI [41.1%, 52.3%]`), so the chart reads without hovering. Pure.
 */
import type { Interval } from '../../stats/wilson.js';
import { percent } from '../format.js';
import { html, type SafeHtml } from './html.js';
import { COLORS } from './styles.js';

export interface RateRow {
  label: string;
  passed: number;
  total: number;
  rate: number;
  interval: Interval;
  /** The reference row (compare's baseline): drawn in grey, named in its label. */
  reference?: boolean;
  /** Said instead of `(passed/total)` when the rate is not a count (a mean over runs). */
  counts?: string;
}

export const RATE_CHART = { width: 1000, left: 16, right: 40, rowHeight: 46, top: 8, axis: 34 } as const;

export function rateChart(rows: readonly RateRow[], confidence: number): SafeHtml {
  const { width, left, right, rowHeight, top, axis } = RATE_CHART;
  const height = top + rows.length * rowHeight + axis;
  const plotBottom = top + rows.length * rowHeight;
  const x = (fraction: number) => round(left + Math.min(1, Math.max(0, fraction)) * (width - left - right));
  const level = `${Math.round(confidence * 100)}% CI`;
  return html`<svg class="chart rate-chart" role="img" viewBox="0 0 ${width} ${height}">
<title>Pass rate per row with its ${level}</title>
<g class="grid">${[0, 0.25, 0.5, 0.75, 1].map(
    (t) => html`<line x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${plotBottom}" stroke="${COLORS.grid}"/><text x="${x(t)}" y="${plotBottom + 18}" font-size="12" text-anchor="middle" fill="${COLORS.axis}">${Math.round(t * 100)}%</text>`,
  )}</g>
${rows.map((row, i) => {
  const y = top + i * rowHeight;
  const barY = y + 22;
  const color = row.reference ? COLORS.reference : COLORS.train;
  const figures = `${percent(row.rate)} (${row.counts ?? `${row.passed}/${row.total}`}) · ${level} [${percent(row.interval.lower)}, ${percent(row.interval.upper)}]`;
  return html`<g class="rate-row${row.reference ? ' reference' : ''}">
<text x="${left}" y="${y + 15}" font-size="13" fill="#111827"><tspan font-weight="600">${shorten(row.label, 64)}</tspan>${row.reference ? ' (baseline)' : ''}<tspan fill="${COLORS.axis}"> — ${figures}</tspan></text>
<rect class="rate-bar" x="${x(0)}" y="${barY}" width="${round(x(row.rate) - x(0))}" height="14" rx="2" fill="${color}" opacity="0.35"/>
<line class="rate-interval" x1="${x(row.interval.lower)}" x2="${x(row.interval.upper)}" y1="${barY + 7}" y2="${barY + 7}" stroke="${color}" stroke-width="2"/>
<line x1="${x(row.interval.lower)}" x2="${x(row.interval.lower)}" y1="${barY + 1}" y2="${barY + 13}" stroke="${color}" stroke-width="2"/>
<line x1="${x(row.interval.upper)}" x2="${x(row.interval.upper)}" y1="${barY + 1}" y2="${barY + 13}" stroke="${color}" stroke-width="2"/>
<circle cx="${x(row.rate)}" cy="${barY + 7}" r="4.5" fill="${color}"><title>${row.label}: ${figures}</title></circle>
</g>`;
})}
<line x1="${x(0)}" x2="${x(1)}" y1="${plotBottom}" y2="${plotBottom}" stroke="${COLORS.axis}"/>
</svg>`;
}

/** Long labels (a prompt file's path) are cut; the marker's tooltip has them whole. */
function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
