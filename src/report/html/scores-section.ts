/** The report's figures beside the summary cards: pass rate and mean score per split, then named metrics. Pure. */
import { figureHeaders, figureRows, metricCellText } from '../scores-rows.js';
import type { ReportData } from '../types.js';
import { html, type SafeHtml } from './html.js';

export function scoresSection(data: ReportData): SafeHtml {
  const headers = figureHeaders(data);
  const rows = figureRows(data);
  return html`<section id="scores">
<h2>Pass rate and mean score</h2>
<div class="table-wrap">
<table class="figures">
<thead><tr><th>Split</th><th class="num">${headers.passRate}</th><th class="num">${headers.meanScore}</th><th class="num" title="cases no assertion applies to: in no figure">Unchecked</th></tr></thead>
<tbody>
${rows.map((r) => html`<tr><td>${r.split}</td><td class="num">${r.passRate}</td><td class="num">${r.meanScore}</td><td class="num">${r.unchecked}</td></tr>`)}
</tbody>
</table>
</div>
<p class="meta">A case's score is the weighted mean of its assertion scores (partial credit); it passes when every assertion passes, or when its score reaches the case's threshold. Start → final prompt.</p>
${data.metrics.length === 0
  ? ''
  : html`<h3>Named metrics</h3>
<div class="table-wrap">
<table class="metrics">
<thead><tr><th>Metric</th><th>Split</th><th class="num">Start</th><th class="num">Final</th></tr></thead>
<tbody>
${data.metrics.map((m) => html`<tr><td><code>${m.name}</code></td><td>${m.split === 'test' ? 'test (held out)' : m.split}</td><td class="num">${m.split === 'test' ? '—' : metricCellText(m.start)}</td><td class="num">${metricCellText(m.final)}</td></tr>`)}
</tbody>
</table>
</div>`}
</section>`;
}
