/**
 * bench.html, in the run report's design (the shared page and stylesheet, the pass-rate chart with
 * intervals): per task the table, the held-out test score per strategy with its 95% interval, the
 * paired verdicts, and the mean trajectory. One self-contained file (inline CSS and SVG, no script).
 */
import { html, type SafeHtml } from '../report/html/html.js';
import { htmlPage, simulatedBanner } from '../report/html/page.js';
import { rateChart } from '../report/html/rate-chart.js';
import { budgetWords, columnNotes, columns, countsCalls, PAIR_HEADERS, pairCells } from './bench-format.js';
import type { BenchHeader } from './render-markdown.js';
import { START_ROW, type TaskSummary } from './summarize.js';
import { trajectoryChart, trajectoryLegend } from './trajectory-chart.js';
import type { BenchSettings } from './types.js';

const BENCH_STYLES = `
table.bench td, table.bench th { white-space: nowrap; }
table.bench tr.start td { background: #f3f4f6; }
.badge.too_few_runs { background: var(--warn-bg); color: var(--warn); }
ul.notes { margin: 8px 0 0; padding-left: 18px; color: var(--muted); font-size: 12.5px; }
`;

export function renderBenchHtml(summaries: readonly TaskSummary[], settings: BenchSettings, header: BenchHeader): string {
  const simulated = summaries.filter((s) => s.status === 'ran' && (s.task.simulated.target || s.task.simulated.optimizer)).map((s) => s.task.id);
  return htmlPage({
    title: 'promptopt bench',
    trustedStyles: [BENCH_STYLES],
    body: html`<header>
<h1>promptopt bench</h1>
<p class="meta">${header.generatedAt.toISOString()} · ${header.machine} · strategies <code>${settings.strategies.join(', ')}</code> · ${settings.runs} seed(s) per strategy from ${settings.seed} · α = ${settings.alpha}</p>
<p class="meta">Folder <code>${header.dir}</code></p>
${simulated.length > 0 ? simulatedBanner(`${simulated.join(', ')} ran on the offline simulator; those tables measure promptopt's machinery, not the strategies`) : ''}
</header>
${summaries.map((s) => taskSection(s, settings))}`,
    footer: `promptopt bench · ${header.generatedAt.toISOString()}`,
  });
}

function taskSection(summary: TaskSummary, settings: BenchSettings): SafeHtml {
  const { task } = summary;
  if (summary.status === 'needs_real_model') {
    return html`<section id="task-${task.id}"><h2>${task.id}</h2><p class="empty">Not run: needs a real model (${task.needsRealModel}). The spec's target is <code>${task.models.target}</code>: give it a real model to bench this task.</p></section>`;
  }
  const cols = columns(summary);
  const simulated = task.simulated.target || task.simulated.optimizer;
  return html`<section id="task-${task.id}">
<h2>${task.id}${simulated ? html` <span class="badge invalid">SIMULATED</span>` : ''}</h2>
<p class="meta">target <code>${task.models.target}</code> · optimizer <code>${task.models.optimizer}</code> · budget ${budgetWords(summary)}${countsCalls(summary) ? ' (calls, not dollars: the simulator is free)' : ''}</p>
<div class="table-wrap"><table class="bench">
<thead><tr>${cols.map((c) => html`<th${c.numeric ? html` class="num"` : ''}>${c.header}</th>`)}</tr></thead>
<tbody>${summary.rows.map((row) => html`<tr${row.strategy === START_ROW ? html` class="start"` : ''}>${cols.map((c) => html`<td${c.numeric ? html` class="num"` : ''}>${c.cell(row)}</td>`)}</tr>`)}</tbody>
</table></div>
<ul class="notes">${columnNotes(summary).map((note) => html`<li>${note}</li>`)}</ul>
<h3>Held-out test score (mean over seeds, 95% interval: two-level bootstrap)</h3>
<figure class="rate-figure">${rateChart(
    summary.rows.map((row) => ({
      label: row.strategy === START_ROW ? 'starting prompt' : row.strategy,
      passed: 0,
      total: 0,
      counts: row.strategy === START_ROW ? 'evaluated once' : `mean of ${row.runs} run${row.runs === 1 ? '' : 's'}`,
      rate: row.test.mean,
      interval: row.test.interval ?? { lower: row.test.mean, upper: row.test.mean },
      reference: row.strategy === START_ROW,
    })),
    0.95,
  )}</figure>
<h3>Is one strategy better? Paired comparisons on the held-out test</h3>
<div class="table-wrap"><table class="pairs">
<thead><tr>${PAIR_HEADERS.map((h, i) => html`<th${i > 0 && i < 6 ? html` class="num"` : ''}>${h}</th>`)}</tr></thead>
<tbody>${summary.pairs.map((pair) => {
    const cells = pairCells(pair);
    return html`<tr>${cells.slice(0, 6).map((c, i) => html`<td${i > 0 ? html` class="num"` : ''}>${c}</td>`)}<td><span class="badge ${pair.verdict}">${cells[6]!}</span></td></tr>`;
  })}</tbody>
</table></div>
<p class="muted">Two-level bootstrap (10,000 resamples): the seeds are resampled, then the test cases within each drawn seed, so both the run-to-run and the case-to-case variance count; runs are paired by seed, cases by id. The effect size d is the mean difference over the SD of the per-seed differences. α = ${settings.alpha}, no correction for the number of comparisons.</p>
${summary.trajectory
  ? html`<h3>Mean trajectory: best validation score against what was charged</h3>
<figure style="margin:0">${trajectoryChart(summary.trajectory, summary.start?.scores.validation ?? summary.start?.scores.train ?? 0)}${trajectoryLegend(summary.trajectory)}</figure>`
  : ''}
</section>`;
}
