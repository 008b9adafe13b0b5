/** The body sections of the HTML report, each a pure ReportData -> markup function. */
import { callsWorth, deltaPoints, duration, integer, moneyBreakdown, percent, STOP_REASONS, usd } from '../format.js';
import { describeGap, gapUnit } from '../generalization-gap.js';
import { selectionRule } from '../selection-rule.js';
import { OBJECTIVE_LABELS } from '../../runner/objective.js';
import type { ReportData, ScoreCell, TrajectoryRow } from '../types.js';
import { caseTable } from './case-table.js';
import { breakable } from './breakable.js';
import { diffView } from './diff-view.js';
import { html, type SafeHtml } from './html.js';
import { COLORS } from './styles.js';
import { costChart, scoreChart } from './svg-chart.js';

export function summarySection(data: ReportData): SafeHtml {
  const stop = data.stopReason ? STOP_REASONS[data.stopReason] : 'not stopped (run in progress)';
  return html`<section id="summary">
<h2>Summary</h2>
<p class="meta">Scores are the ${OBJECTIVE_LABELS[data.objective]}, the spec's objective (both figures per split: <a href="#scores">below</a>).</p>
<div class="cards">
${data.summary.map((row) => scoreCard(row.split === 'test' ? 'test (held out)' : row.split, row.start, row.final, row.split === 'test' ? heldOutNote(data) : undefined))}
<div class="card"><div class="label">cost</div><div class="value">${totalCost(data)}</div><div class="sub">${integer(data.calls.made)} calls made · ${integer(data.calls.cacheHits)} from cache (${percent(data.calls.hitRate)})</div></div>
<div class="card"><div class="label">iterations</div><div class="value">${data.trajectory.length}</div><div class="sub">${data.iterations.train} training + ${data.iterations.validation} validation${data.iterations.lateral > 0 ? html` · ${data.iterations.lateral} lateral (recorded, not adopted)` : ''} · ${duration(data.wallTimeMs)} wall time</div></div>
</div>
${generalizationGap(data)}
<p class="meta">Stopped: <strong>${stop}</strong>${data.stopReason ? html` (<code>${data.stopReason}</code>)` : ''} · prompt v${data.startVersion} → v${data.finalVersion.version} (<code>${data.finalVersion.file}</code>)</p>
</section>`;
}

/** The generalization gap of the final version (train against validation and test), with the warning over 15 points. */
function generalizationGap(data: ReportData): SafeHtml {
  const gap = data.generalization;
  const text = describeGap(gap);
  if (!text) return html``;
  return gap.warning
    ? html`<p class="gap warning"><strong>⚠ Generalization gap (${gapUnit(gap)}): ${text}.</strong> ${gap.warning.charAt(0).toUpperCase()}${gap.warning.slice(1)}.</p>`
    : html`<p class="gap meta">Generalization gap of the final version (${gapUnit(gap)}): ${text}.</p>`;
}

/** How the final version was chosen among the run's versions. */
export function selectionSection(data: ReportData): SafeHtml {
  const chosen = data.selection;
  if (!chosen) return html``;
  const rule = selectionRule(chosen);
  return html`<section id="selection">
<h2>Final selection</h2>
<p>${rule}</p>
<p class="meta">${chosen.reason}</p>
<div class="table-wrap"><table class="selection">
<thead><tr><th>Version</th><th class="num">Train</th><th class="num">Validation</th><th>Eligible</th><th class="num">Prompt chars</th></tr></thead>
<tbody>
${chosen.entries.map(
  (e) => html`<tr><td class="${e.version === chosen.version ? 'chosen' : ''}">v${e.version}${e.version === chosen.version ? ' (final)' : ''}</td><td class="num">${percent(e.train)}</td><td class="num">${percent(e.validation)}</td><td>${e.eligible ? 'yes' : 'no: significantly below the best train score'}</td><td class="num">${e.promptChars}</td></tr>`,
)}
</tbody>
</table></div>
</section>`;
}

/** What the held-out test card says without a score: it comes at the end, or never came. */
function heldOutNote(data: ReportData): string {
  return data.stopReason ? `not scored: the run stopped (${data.stopReason}) before the held-out test` : 'scored once, at the end';
}

function scoreCard(label: string, start: ScoreCell | undefined, final: ScoreCell | undefined, heldOut: string | undefined): SafeHtml {
  const change = deltaPoints(start?.score, final?.score);
  const direction = start && final ? (final.score > start.score ? 'up' : final.score < start.score ? 'down' : '') : '';
  const sub = start
    ? html`start ${percent(start.score)} (${start.passed}/${start.total})${change ? html` · <span class="nowrap ${direction}">${change}</span>` : ''}`
    : heldOut
      ? html`${final ? 'scored once, at the end' : heldOut}`
      : html`not scored`;
  return html`<div class="card"><div class="label">${label}</div><div class="value">${final ? percent(final.score) : '—'}${final ? html` <span class="sub">${final.passed}/${final.total}</span>` : ''}</div><div class="sub">${sub}</div></div>`;
}

export function totalCost(data: ReportData): string {
  return `${usd(data.totals.costUsd)}${data.totals.unknownCostCalls > 0 ? ' or more' : ''}`;
}

export function trajectorySection(data: ReportData): SafeHtml {
  if (data.trajectory.length === 0) {
    return html`<section id="trajectory"><h2>Score trajectory</h2><p class="empty">No iterations ran.</p></section>`;
  }
  const iterationCost = data.trajectory.reduce((sum, r) => sum + r.costUsd, 0);
  const other = Math.max(0, data.totals.costUsd - iterationCost);
  return html`<section id="trajectory">
<h2>Score trajectory (${OBJECTIVE_LABELS[data.objective]})</h2>
<div class="charts">
<figure style="margin:0">
${scoreChart(data)}
<figcaption class="legend">
${legendLine(COLORS.train, 'train (current prompt)')}${data.baseline.validation || data.trajectory.some((r) => r.validation !== undefined) ? legendLine(COLORS.validation, 'validation (current prompt)') : ''}
${legendDot(true, 'accepted candidate')}${legendDot(false, 'rejected candidate')}
<span>invalid candidates (no score) are listed below, not plotted</span>
</figcaption>
</figure>
<figure style="margin:0">
<h3>Cost</h3>
${iterationCost > 0
  ? html`${costChart(data.trajectory)}
<figcaption class="legend">
${legendLine(COLORS.cost, 'accumulated over the iterations')}<span><svg width="14" height="12"><rect width="14" height="12" fill="${COLORS.costBar}"/></svg>per iteration</span>
<span>iterations ${usd(iterationCost)} + ${data.final.test ? 'baseline and test evaluation' : 'baseline evaluation (no test score)'} ${usd(other)} = ${totalCost(data)} in all</span>
</figcaption>`
  : html`<p class="empty">No cost recorded for the iterations (${totalCost(data)} in all): simulated or unpriced models, or every call served from the cache.</p>`}
</figure>
</div>
${data.screening ? html`<p class="muted">Minibatch screening: ${data.screening.screened} candidate(s) were tried on a minibatch of train cases first; ${data.screening.screenedOut} did no better than their parent there and were not scored on the full split (${data.screening.savedCalls} target calls saved).</p>` : ''}
${candidatesTable(data.trajectory)}
</section>`;
}

function legendLine(color: string, label: string): SafeHtml {
  return html`<span><svg width="22" height="10"><line x1="0" x2="22" y1="5" y2="5" stroke="${color}" stroke-width="3"/></svg>${label}</span>`;
}

function legendDot(filled: boolean, label: string): SafeHtml {
  return html`<span><svg width="14" height="14"><circle cx="7" cy="7" r="5" fill="${filled ? COLORS.train : '#ffffff'}" stroke="${COLORS.train}" stroke-width="2"/></svg>${label}</span>`;
}

function candidatesTable(rows: TrajectoryRow[]): SafeHtml {
  const total = rows.reduce((n, r) => n + r.candidates.length, 0);
  return html`<details class="candidates-detail"${total <= 12 ? html` open` : ''}>
<summary>Candidates (${total})</summary>
${rows.some((r) => r.lateralId) ? html`<p class="muted">A <em>lateral</em> candidate scored the same as the current prompt on every split: it is recorded here, not adopted (the current prompt stays, no version is written).</p>` : ''}
<div class="table-wrap">
<table class="cand">
<thead><tr><th class="num">Iter.</th><th>Phase</th><th>Candidate</th><th>Status</th><th class="num">Train</th><th class="num">Validation</th><th class="num">Fixed / broke</th><th>Hypothesis and reason</th></tr></thead>
<tbody>
${rows.flatMap((row) =>
  row.candidates.map(
    (c) => html`<tr>
<td class="num">${row.iteration}</td><td>${row.phase}</td><td class="mono">${c.id}</td>
<td><span class="badge ${c.status}">${c.status.replaceAll('_', ' ')}</span>${c.status === 'accepted' && row.lateral ? html` <span class="muted">(lateral)</span>` : ''}${c.status === 'lateral' ? html` <span class="muted">(recorded, not adopted)</span>` : ''}</td>
<td class="num">${percent(c.train)}${c.minibatch ? html`<br><span class="muted">minibatch ${percent(c.minibatch.score)} vs ${percent(c.minibatch.bar)}</span>` : ''}</td><td class="num">${percent(c.validation)}</td><td class="num">${c.fixed} / ${c.broken}</td>
<td>${c.hypothesis ? breakable(c.hypothesis) : html`<span class="empty">(no hypothesis)</span>`}${c.status !== 'accepted' && c.reason.trim() !== '' ? html`<br><span class="muted">${breakable(c.reason)}</span>` : ''}</td>
</tr>`,
  ),
)}
</tbody>
</table>
</div>
</details>`;
}

export function categoriesSection(data: ReportData): SafeHtml {
  const rows = data.categories;
  const max = Math.max(1, ...rows.map((r) => Math.max(r.before, r.after)));
  const bar = (n: number, kind: string) => html`<span class="bar ${kind}" style="width:${Math.round((n / max) * 160)}px"></span>`;
  const body =
    rows.length === 0
      ? html`<p class="empty">No failing train cases, at the start or at the end.</p>`
      : html`<table class="categories">
<thead><tr><th>Category</th><th class="num">Start</th><th class="num">Final</th><th class="num">Change</th><th><span class="bar before" style="width:12px"></span> start <span class="bar after" style="width:12px"></span> final</th></tr></thead>
<tbody>
${rows.map(
  (r) => html`<tr><td><code>${r.category}</code></td><td class="num">${r.before}</td><td class="num">${r.after}</td><td class="num ${r.after < r.before ? 'up' : r.after > r.before ? 'down' : ''}">${signed(r.after - r.before)}</td><td>${bar(r.before, 'before')}<br>${bar(r.after, 'after')}</td></tr>`,
)}
</tbody>
</table>`;
  return html`<section id="categories"><h2>Failure categories (train)</h2><p class="muted">Failed train cases per category with the start prompt and the final prompt (a case may count in several).</p>${body}</section>`;
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n === 0 ? '±0' : String(n);
}

export function lessonsSection(data: ReportData): SafeHtml {
  const body =
    data.lessons.length === 0
      ? html`<p class="empty">No lessons recorded.</p>`
      : html`<ul class="lessons">${data.lessons.map((l) => html`<li>${l}</li>`)}</ul>`;
  return html`<section id="lessons"><h2>Lessons learned</h2>${body}</section>`;
}

export function promptSection(data: ReportData): SafeHtml {
  return html`<section id="prompt">
<h2>Final prompt (v${data.finalVersion.version})</h2>
<pre class="block final-prompt">${data.finalPrompt}</pre>
<h3>Diff from the start (v${data.startVersion} → v${data.finalVersion.version})</h3>
${data.changed ? diffView(data.diffFromStart) : html`<p class="empty">No change from the start prompt.</p>`}
</section>`;
}

export function spendSection(data: ReportData): SafeHtml {
  return html`<section id="spend">
<h2>Cost and tokens</h2>
<table>
<thead><tr><th>Role</th><th>Model</th><th class="num">Paid calls</th><th class="num">Input tokens</th><th class="num">Output tokens</th><th class="num">Paid</th><th class="num">Replayed from cache</th><th class="num">Saved by cache</th></tr></thead>
<tbody>
${data.spend.map(
  (l) => html`<tr><td>${l.role}</td><td><code>${l.model}</code></td><td class="num">${integer(l.calls)}</td><td class="num">${integer(l.inputTokens)}</td><td class="num">${integer(l.outputTokens)}</td><td class="num">${usd(l.costUsd)}${l.unknownCostCalls > 0 ? ` (+${l.unknownCostCalls} unpriced)` : ''}</td><td class="num">${callsWorth(l.replayedCalls, l.replayedUsd)}</td><td class="num">${callsWorth(l.savedCalls, l.savedUsd)}</td></tr>`,
)}
<tr><th>total</th><td></td><td class="num">${integer(data.calls.made)}</td><td class="num">${integer(data.totals.inputTokens)}</td><td class="num">${integer(data.totals.outputTokens)}</td><td class="num"><strong>${totalCost(data)}</strong></td><td class="num">${callsWorth(data.totals.replayedCalls, data.totals.replayedUsd)}</td><td class="num">${callsWorth(data.totals.savedCalls, data.totals.savedUsd)}</td></tr>
</tbody>
</table>
<p class="meta">${moneyBreakdown(data)}</p>
</section>`;
}

export function casesSection(data: ReportData): SafeHtml {
  const body = data.cases
    ? data.cases.length === 0
      ? html`<p class="empty">No case results were saved.</p>`
      : caseTable(data.cases)
    : html`<p class="empty">No case results were saved for this run (no cases.json): the run stopped before its reports were written, or predates them.</p>`;
  return html`<section id="cases"><h2>Cases (final prompt v${data.finalVersion.version})</h2>${body}</section>`;
}
