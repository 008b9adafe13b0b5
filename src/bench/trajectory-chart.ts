/**
 * The mean trajectory per strategy as inline SVG (no script): the best validation score the runs had
 * reached, averaged over seeds, against the calls (or USD) they had been charged; the starting
 * prompt's validation score as a dashed grey line. Pure; in the run report's chart style.
 */
import { html, type SafeHtml } from '../report/html/html.js';
import { COLORS } from '../report/html/styles.js';
import { percent } from '../report/format.js';
import { formatUsd } from '../util/format-usd.js';
import type { MeanTrajectory } from './trajectory.js';

/** One colour per strategy, in the order they were named. */
export const STRATEGY_COLORS = ['#2563eb', '#d97706', '#059669', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#b91c1c'] as const;

const WIDTH = 1000;
const HEIGHT = 320;
const PAD = { left: 64, right: 24, top: 16, bottom: 48 };

export function trajectoryChart(trajectory: MeanTrajectory, startScore: number): SafeHtml {
  const maxX = trajectory.xs.at(-1) ?? 0;
  const x = (v: number) => round(PAD.left + (maxX === 0 ? 0 : v / maxX) * (WIDTH - PAD.left - PAD.right));
  const y = (v: number) => round(PAD.top + (1 - v) * (HEIGHT - PAD.top - PAD.bottom));
  const label = (v: number) => (trajectory.axis === 'usd' ? formatUsd(v) : Math.round(v).toLocaleString('en-US'));
  const xTicks = [0, 0.25, 0.5, 0.75, 1].map((t) => t * maxX);
  const title = trajectory.axis === 'usd' ? 'USD charged (cache hits as if paid)' : 'calls charged (target + optimizer; cache hits as if paid)';
  return html`<svg class="chart trajectory-chart" role="img" viewBox="0 0 ${WIDTH} ${HEIGHT}">
<title>Mean best validation score per strategy against what the runs were charged</title>
<g class="grid">${[0, 0.25, 0.5, 0.75, 1].map(
    (t) => html`<line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(t)}" y2="${y(t)}" stroke="${COLORS.grid}"/><text x="${PAD.left - 8}" y="${round(y(t) + 4)}" font-size="12" text-anchor="end" fill="${COLORS.axis}">${Math.round(t * 100)}%</text>`,
  )}</g>
<g class="x-axis"><line x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(0)}" y2="${y(0)}" stroke="${COLORS.axis}"/>${xTicks.map(
    (v) => html`<line x1="${x(v)}" x2="${x(v)}" y1="${y(0)}" y2="${y(0) + 5}" stroke="${COLORS.axis}"/><text x="${x(v)}" y="${y(0) + 19}" font-size="12" text-anchor="middle" fill="${COLORS.axis}">${label(v)}</text>`,
  )}<text x="${round(PAD.left + (WIDTH - PAD.left - PAD.right) / 2)}" y="${HEIGHT - 8}" font-size="12" text-anchor="middle" fill="${COLORS.axis}">${title}</text></g>
<line class="start-line" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(startScore)}" y2="${y(startScore)}" stroke="${COLORS.reference}" stroke-width="1.5" stroke-dasharray="6 4"><title>starting prompt: ${percent(startScore)} on validation</title></line>
${trajectory.strategies.map((s, i) => {
  const color = STRATEGY_COLORS[i % STRATEGY_COLORS.length]!;
  const points = trajectory.xs.map((v, k) => `${x(v)},${y(s.means[k]!)}`).join(' ');
  const last = s.means.at(-1) ?? startScore;
  return html`<g class="series"><polyline fill="none" stroke="${color}" stroke-width="2.5" stroke-linejoin="round" points="${points}"><title>${s.strategy} (${s.runs} runs): ${percent(last)} at ${label(maxX)}</title></polyline></g>`;
})}
</svg>`;
}

/** The legend under the chart: a line per strategy, and the start. */
export function trajectoryLegend(trajectory: MeanTrajectory): SafeHtml {
  return html`<figcaption class="legend">${trajectory.strategies.map(
    (s, i) =>
      html`<span><svg width="22" height="10"><line x1="0" x2="22" y1="5" y2="5" stroke="${STRATEGY_COLORS[i % STRATEGY_COLORS.length]!}" stroke-width="3"/></svg>${s.strategy} (mean of ${s.runs} run${s.runs === 1 ? '' : 's'})</span>`,
  )}<span><svg width="22" height="10"><line x1="0" x2="22" y1="5" y2="5" stroke="${COLORS.reference}" stroke-width="2" stroke-dasharray="6 4"/></svg>starting prompt</span></figcaption>`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
