/**
 * Inline SVG charts for the HTML report, pure and dependency-free: the score trajectory (train and
 * validation of the current prompt per iteration, every scored candidate as a marker: filled when
 * accepted, hollow when not) and the cost (per iteration as bars, accumulated as a line).
 *
 * The x axis is the step of the run: 0 is the start prompt, then one step per iteration in order,
 * training phase then validation phase (each phase numbers its own iterations from 1).
 */
import type { CandidateRow, ReportData, TrajectoryRow } from '../types.js';
import { percent, usd } from '../format.js';
import { html, type SafeHtml } from './html.js';
import { COLORS } from './styles.js';

const WIDTH = 1000;
const PAD = { left: 76, right: 24, top: 16, bottom: 48 };
/** A generous width of one character of 12px system-ui text, in viewBox units (to keep labels inside). */
const LABEL_CHAR_WIDTH = 7;
/** A candidate marker's radius and stroke: room kept free at the right end of the x axis. */
const MARKER_ROOM = 8;
/** Where the plot area ends on the right: the end of the x axis. */
export const PLOT_RIGHT = WIDTH - PAD.right;

interface Frame {
  height: number;
  /** The last step on the x axis (0 is the start prompt). */
  maxX: number;
  x(step: number): number;
  y(fraction: number): number;
}

/**
 * The steps run from 0 to half a step, plus a marker's radius, short of the axis's end: what is drawn
 * around a step (its cost bar, its candidates' markers, its phase band) stays inside the axis, the
 * last step's too, however many steps there are.
 */
function frame(height: number, maxX: number): Frame {
  const plotW = WIDTH - PAD.left - PAD.right - MARKER_ROOM;
  const plotH = height - PAD.top - PAD.bottom;
  const span = Math.max(1, maxX) + 0.5;
  return {
    height,
    maxX,
    x: (i) => round(PAD.left + (i / span) * plotW),
    y: (f) => round(PAD.top + (1 - f) * plotH),
  };
}

/** The score trajectory chart: 0–100 % against iterations. */
export function scoreChart(data: Pick<ReportData, 'baseline' | 'trajectory'>): SafeHtml {
  const rows = data.trajectory;
  const f = frame(340, rows.length);
  // Steps are 1-based positions in the trajectory.
  const train = series(data.baseline.train.score, rows, (r) => r.train);
  const validation = series(data.baseline.validation?.score, rows, (r) => r.validation);
  return html`<svg class="chart score-chart" role="img" viewBox="0 0 ${WIDTH} ${f.height}">
<title>Score per iteration: train and validation of the current prompt; candidates as markers</title>
${phaseBands(rows, f)}
${yGrid(f, [0, 0.25, 0.5, 0.75, 1], (v) => percent(v).replace('.0%', '%'))}
${xAxis(f, 'iteration (0 = start prompt; the validation phase continues the count)')}
${axisLabel(f, 'score')}
${line(train, f, COLORS.train, 'train')}
${line(validation, f, COLORS.validation, 'validation')}
${rows.map((row, i) => candidateMarkers(row, i + 1, f))}
</svg>`;
}

/** Cost per iteration (bars) and accumulated over the iterations (line), in USD. */
export function costChart(rows: TrajectoryRow[]): SafeHtml {
  const f0 = frame(220, rows.length);
  let total = 0;
  const accumulated = rows.map((r) => (total += r.costUsd));
  const max = niceCeiling(Math.max(total, ...rows.map((r) => r.costUsd)));
  const scale = (v: number) => (max === 0 ? 0 : v / max);
  const f: Frame = { ...f0, y: (v) => f0.y(scale(v)) };
  const ticks = [0, 1, 2, 3, 4, 5].map((k) => (max * k) / 5);
  const half = Math.max(2, Math.min(24, (f.x(1) - f.x(0)) * 0.3));
  const points = [{ x: 0, y: 0 }, ...rows.map((_, i) => ({ x: i + 1, y: accumulated[i]! }))];
  return html`<svg class="chart cost-chart" role="img" viewBox="0 0 ${WIDTH} ${f.height}">
<title>Cost per iteration (bars) and accumulated (line)</title>
${yGrid(f, max === 0 ? [0] : ticks, (v) => usdTick(v, max / 5))}
${xAxis(f, 'iteration')}
${axisLabel(f, 'USD')}
${rows.map(
  (r, i) => html`<rect class="cost-bar" x="${round(f.x(i + 1) - half)}" y="${f.y(r.costUsd)}" width="${round(half * 2)}" height="${round(f.y(0) - f.y(r.costUsd))}" fill="${COLORS.costBar}"><title>${stepName(r)}: ${usd(r.costUsd)}</title></rect>`,
)}
<polyline class="cost-line" fill="none" stroke="${COLORS.cost}" stroke-width="2.5" points="${points.map((p) => `${f.x(p.x)},${f.y(p.y)}`).join(' ')}"/>
${points.slice(1).map(
  (p) => html`<circle cx="${f.x(p.x)}" cy="${f.y(p.y)}" r="3.5" fill="${COLORS.cost}"><title>after ${stepName(rows[p.x - 1]!)}: ${usd(p.y)} accumulated</title></circle>`,
)}
</svg>`;
}

interface Point {
  step: number;
  score: number;
  /** What the step was, for its tooltip. */
  name: string;
}

/** `iteration 3`, or `validation iteration 2` in the validation phase. */
function stepName(row: TrajectoryRow): string {
  return `${row.phase === 'validation' ? 'validation iteration' : 'iteration'} ${row.iteration}`;
}

/** The split's score after each iteration; undefined scores break the line. */
function series(start: number | undefined, rows: TrajectoryRow[], pick: (row: TrajectoryRow) => number | undefined): (Point | undefined)[] {
  return [start === undefined ? undefined : { step: 0, score: start, name: 'the start' }, ...rows.map((r, i) => {
    const score = pick(r);
    return score === undefined ? undefined : { step: i + 1, score, name: stepName(r) };
  })];
}

function line(points: (Point | undefined)[], f: Frame, color: string, name: string): SafeHtml {
  const runs: Point[][] = [];
  let current: Point[] = [];
  for (const p of points) {
    if (p) current.push(p);
    else if (current.length) (runs.push(current), (current = []));
  }
  if (current.length) runs.push(current);
  return html`<g class="series series-${name}">${runs.map((run) =>
    run.length === 1
      ? html`<circle cx="${f.x(run[0]!.step)}" cy="${f.y(run[0]!.score)}" r="2.5" fill="${color}"/>`
      : html`<polyline fill="none" stroke="${color}" stroke-width="2.5" stroke-linejoin="round" points="${run.map((p) => `${f.x(p.step)},${f.y(p.score)}`).join(' ')}"/>`,
  )}${points.map((p) =>
    p ? html`<circle cx="${f.x(p.step)}" cy="${f.y(p.score)}" r="2.5" fill="${color}"><title>${name} after ${p.name}: ${percent(p.score)}</title></circle>` : '',
  )}</g>`;
}

/** One marker per candidate and split it was scored on, spread a little around its step. */
function candidateMarkers(row: TrajectoryRow, step: number, f: Frame): SafeHtml {
  const scored = row.candidates.filter((c) => c.train !== undefined || c.validation !== undefined);
  const width = f.x(1) - f.x(0);
  const spread = Math.min(10, (width * 0.5) / Math.max(1, scored.length));
  return html`<g class="candidates">${scored.map((c, k) => {
    const x = round(f.x(step) + (k - (scored.length - 1) / 2) * spread);
    return [marker(c, 'train', c.train, x, f), marker(c, 'validation', c.validation, x, f)];
  })}</g>`;
}

function marker(c: CandidateRow, split: 'train' | 'validation', score: number | undefined, x: number, f: Frame): SafeHtml | '' {
  if (score === undefined) return '';
  const color = COLORS[split];
  const accepted = c.status === 'accepted';
  const label = `${c.id} ${c.status}: ${split} ${percent(score)}${c.hypothesis ? ` — ${c.hypothesis}` : ''}`;
  return html`<circle class="marker ${accepted ? 'accepted' : 'rejected'}" cx="${x}" cy="${f.y(score)}" r="6" fill="${accepted ? color : '#ffffff'}" stroke="${color}" stroke-width="2"><title>${label}</title></circle>`;
}

/** Light bands behind the iterations of the validation phase, labelled. */
function phaseBands(rows: TrajectoryRow[], f: Frame): SafeHtml {
  const steps = rows.flatMap((r, i) => (r.phase === 'validation' ? [i + 1] : []));
  if (steps.length === 0) return html``;
  const from = f.x(steps[0]! - 0.5);
  const to = f.x(steps[steps.length - 1]! + 0.5);
  // The label starts in the band; a band too near the right edge has it end at the edge instead.
  const label = 'validation phase';
  const fits = from + 6 + label.length * LABEL_CHAR_WIDTH <= PLOT_RIGHT;
  const text = fits ? html`x="${round(from + 6)}"` : html`x="${PLOT_RIGHT - 6}" text-anchor="end"`;
  return html`<rect class="phase-band" x="${from}" y="${PAD.top}" width="${round(to - from)}" height="${round(f.y(0) - PAD.top)}" fill="#fef3c7" opacity="0.6"/><text class="phase-label" ${text} y="${PAD.top + 14}" font-size="12" fill="${COLORS.axis}">${label}</text>`;
}

function yGrid(f: Frame, ticks: number[], label: (v: number) => string): SafeHtml {
  return html`<g class="grid">${ticks.map(
    (t) => html`<line x1="${PAD.left}" x2="${PLOT_RIGHT}" y1="${f.y(t)}" y2="${f.y(t)}" stroke="${COLORS.grid}"/><text x="${PAD.left - 8}" y="${round(f.y(t) + 4)}" font-size="12" text-anchor="end" fill="${COLORS.axis}">${label(t)}</text>`,
  )}</g>`;
}

function xAxis(f: Frame, title: string): SafeHtml {
  const every = Math.max(1, Math.ceil(f.maxX / 20));
  const ticks = Array.from({ length: f.maxX + 1 }, (_, i) => i).filter((i) => i % every === 0 || i === f.maxX);
  const base = f.y(0);
  return html`<g class="x-axis"><line x1="${PAD.left}" x2="${PLOT_RIGHT}" y1="${base}" y2="${base}" stroke="${COLORS.axis}"/>${ticks.map(
    (i) => html`<line x1="${f.x(i)}" x2="${f.x(i)}" y1="${base}" y2="${base + 5}" stroke="${COLORS.axis}"/><text x="${f.x(i)}" y="${base + 19}" font-size="12" text-anchor="middle" fill="${COLORS.axis}">${i}</text>`,
  )}<text x="${round(PAD.left + (WIDTH - PAD.left - PAD.right) / 2)}" y="${f.height - 8}" font-size="12" text-anchor="middle" fill="${COLORS.axis}">${title}</text></g>`;
}

function axisLabel(f: Frame, title: string): SafeHtml {
  const cy = round(PAD.top + (f.height - PAD.top - PAD.bottom) / 2);
  return html`<text x="12" y="${cy}" font-size="12" text-anchor="middle" fill="${COLORS.axis}" transform="rotate(-90 12 ${cy})">${title}</text>`;
}

/** `$0.10`, `$0.0004`: as many decimals as the tick step needs, at least two. */
function usdTick(value: number, step: number): string {
  const decimals = step > 0 ? Math.max(2, Math.ceil(-Math.log10(step) - 1e-9)) : 2;
  return `$${value.toFixed(decimals)}`;
}

/** The smallest 1, 2, 2.5 or 5 × 10^k at or above `value` (0 for 0). */
function niceCeiling(value: number): number {
  if (!(value > 0)) return 0;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * magnitude >= value - 1e-12) return m * magnitude;
  return 10 * magnitude;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
