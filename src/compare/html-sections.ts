/** The sections of compare's report.html above the case grid, each a pure Comparison -> markup function. */
import { integer } from '../report/format.js';
import { breakable } from '../report/html/breakable.js';
import { html, type SafeHtml } from '../report/html/html.js';
import { rateChart } from '../report/html/rate-chart.js';
import { interval, ms, pct, points, pointsInterval, pValue, testName, usdOrUnknown } from './format.js';
import { versionOf } from './render-text.js';
import type { Objective } from '../spec/types.js';
import type { Comparison, PairComparison } from './types.js';

/** How many ids a fixed / broken list shows before folding the rest away. */
const IDS_SHOWN = 24;

export function summarySection(c: Comparison): SafeHtml {
  const rows = c.pairs.map((p) => ({
    label: p.id,
    passed: p.passed,
    total: p.cases,
    rate: p.passRate,
    interval: p.passRateInterval,
    reference: p.id === c.baseline,
  }));
  return html`<section id="summary">
<h2>Summary</h2>
<div class="cards verdict-cards">
${c.comparisons.map((x) => verdictCard(x, c.settings.objective))}
</div>
<figure class="rate-figure">
${rateChart(rows, c.confidence)}
<figcaption class="legend"><span>Pass rate of each pair on the same ${integer(c.cases.length)} cases: the bar ends at the pass rate, the whisker spans its ${Math.round(c.confidence * 100)}% Wilson interval; grey is the baseline.</span></figcaption>
</figure>
<p class="meta">${verdictRule(c)}</p>
</section>`;
}

function verdictCard(x: PairComparison, objective: Objective): SafeHtml {
  const difference = objective === 'mean_score' ? x.scoreDifference : x.passRateDifference;
  return html`<div class="card"><div class="label id">${breakable(x.candidate)}</div><div class="value"><span class="badge ${x.verdict}">${x.verdictText}</span> <span class="sub">${points(difference)}</span></div><div class="sub">${pairedCases(x.n)} · ${testName(x.test)} p=${pValue(x.pValue)} · fixed ${x.fixed.length} · broken ${x.broken.length}</div></div>`;
}

/** What the verdicts rest on, with the real number of paired cases and the --min-cases floor. */
function verdictRule(c: Comparison): string {
  const test =
    c.settings.objective === 'mean_score'
      ? 'a paired bootstrap of the mean score difference (the objective is the mean score)'
      : c.settings.repeat === 1
        ? "McNemar's exact test on pass/fail"
        : `a paired bootstrap of the mean pass rate (repeat ${c.settings.repeat})`;
  const counts = [...new Set(c.comparisons.map((x) => x.n))].sort((a, b) => a - b);
  const n = counts.length === 0 ? 'no comparison' : counts.length === 1 ? pairedCases(counts[0]!) : `${integer(counts[0]!)}–${pairedCases(counts.at(-1)!)}`;
  return `Verdicts: ${test} at alpha ${c.settings.alpha}, on the cases both sides scored without a provider error (${n} against the baseline). Below ${c.settings.minCases} paired cases (--min-cases) there is no verdict.`;
}

function pairedCases(n: number): string {
  return `${integer(n)} paired case${n === 1 ? '' : 's'}`;
}

export function pairsSection(c: Comparison): SafeHtml {
  const mark = (objective: Objective) => (c.settings.objective === objective ? html` <span class="muted" title="the objective: it ranks the versions and decides the verdicts">*</span>` : '');
  const withUnchecked = c.pairs.some((p) => p.unchecked > 0);
  return html`<section id="pairs">
<h2>Side by side</h2>
<div class="table-wrap">
<table class="pairs">
<thead><tr><th class="pair">Version · model</th><th class="num">Pass rate${mark('pass_rate')}</th><th class="num">${Math.round(c.confidence * 100)}% CI</th><th class="num">Mean score${mark('mean_score')}</th>${withUnchecked ? html`<th class="num" title="cases no assertion applies to: in no figure">Unchecked</th>` : ''}<th class="num">Cost / case</th><th class="num">Total cost</th><th class="num">Mean latency</th><th class="num">Tokens in / out</th><th class="num" title="cases that failed with a provider error">Errors</th></tr></thead>
<tbody>
${c.pairs.map(
  (p) => html`<tr class="${p.id === c.baseline ? 'baseline' : ''}">
<td class="pair"><code>${breakable(p.version)}</code>${p.id === c.baseline ? html` <span class="badge split">baseline</span>` : ''}<br><span class="muted"><code>${breakable(p.model)}</code>${p.simulated ? ' (simulated)' : ''}</span></td>
<td class="num">${pct(p.passRate)} <span class="muted">(${p.passed}/${p.cases})</span></td><td class="num">${interval(p.passRateInterval)}</td><td class="num">${pct(p.score)}</td>${withUnchecked ? html`<td class="num">${p.unchecked}</td>` : ''}
<td class="num">${usdOrUnknown(p.costPerCaseUsd)}</td><td class="num">${usdOrUnknown(p.totalCostUsd)}</td><td class="num">${ms(p.meanLatencyMs)}</td>
<td class="num">${integer(p.inputTokens)} / ${integer(p.outputTokens)}</td><td class="num">${p.providerErrors}</td>
</tr>`,
)}
</tbody>
</table>
</div>
<p class="meta">Costs and latencies count every sample, cached ones included: they describe the model on these cases, not what this compare spent. The mean score gives partial credit: a case's score is the weighted mean of its assertion scores.${withUnchecked ? ' Unchecked cases (no assertion applies to them) are in no pass rate or score.' : ''}</p>
</section>
${metricsSection(c)}`;
}

/** Named metrics (`metric:` on assertions): one compact row per metric and pair. */
function metricsSection(c: Comparison): SafeHtml {
  const rows = c.pairs.flatMap((p) => p.metrics.map((m) => ({ pair: p, metric: m })));
  if (rows.length === 0) return html``;
  return html`<section id="metrics">
<h2>Named metrics</h2>
<div class="table-wrap">
<table class="metrics">
<thead><tr><th>Metric</th><th class="pair">Version · model</th><th class="num">Passed</th><th class="num">Mean score</th></tr></thead>
<tbody>
${rows.map(({ pair, metric }) => html`<tr><td><code>${metric.name}</code></td><td class="pair"><code>${breakable(pair.id)}</code></td><td class="num">${metric.passed}/${metric.cases}</td><td class="num">${pct(metric.score)}</td></tr>`)}
</tbody>
</table>
</div>
</section>`;
}

export function verdictsSection(c: Comparison): SafeHtml {
  return html`<section id="verdicts">
<h2>Against the baseline <code>${c.baseline}</code></h2>
${comparisonsBlock(c.settings.objective, c.comparisons, (id) => id, (id) => pairCell(c, id))}
</section>`;
}

/** A pair as a table cell: its version, and its model below. */
export function pairCell(c: Comparison, id: string): SafeHtml {
  const p = c.pairs.find((x) => x.id === id);
  if (!p) return html`<code>${breakable(id)}</code>`;
  return html`<code>${breakable(p.version)}</code><br><span class="muted"><code>${breakable(p.model)}</code></span>`;
}

/** A table of comparisons, then each one's fixed and broken cases as compact lists. */
function comparisonsBlock(objective: Objective, comparisons: PairComparison[], label: (id: string) => string, cell: (id: string) => SafeHtml = (id) => html`<code>${breakable(label(id))}</code>`): SafeHtml {
  if (comparisons.length === 0) return html`<p class="empty">Nothing to compare.</p>`;
  const bootstrap = comparisons.some((x) => x.bootstrap);
  const bootstrapOf = objective === 'mean_score' ? 'mean score' : 'pass rate';
  return html`<div class="table-wrap">
<table class="verdicts">
<thead><tr><th class="pair">Candidate</th><th>Verdict</th><th class="num">Δ pass rate</th><th class="num">Paired cases</th><th>Test</th>${bootstrap ? html`<th class="num">Δ ${bootstrapOf}, 95% CI (bootstrap)</th>` : ''}<th class="num">Fixed</th><th class="num">Broken</th></tr></thead>
<tbody>
${comparisons.map(
  (x) => html`<tr>
<td class="pair">${cell(x.candidate)}</td><td><span class="badge ${x.verdict}">${x.verdictText}</span></td><td class="num">${points(x.passRateDifference)}</td>
<td class="num">${integer(x.n)}${x.excluded.length > 0 ? html`<br><span class="muted">${x.excluded.length} left out (provider errors)</span>` : ''}</td>
<td class="test">${testName(x.test)} p=${pValue(x.pValue)}${x.test === 'paired_bootstrap' ? html`<br><span class="muted">McNemar on pass/fail p=${pValue(x.mcnemar.pValue)}</span>` : ''}</td>
${bootstrap ? html`<td class="num">${x.bootstrap ? `${points(x.bootstrap.meanDifference)} ${pointsInterval(x.bootstrap.interval)}` : '—'}</td>` : ''}
<td class="num">${x.fixed.length}</td><td class="num">${x.broken.length}</td>
</tr>`,
)}
</tbody>
</table>
</div>
${comparisons.map((x) => flips(x, label(x.candidate), label(x.baseline)))}`;
}

function flips(x: PairComparison, candidate: string, baseline: string): SafeHtml {
  return html`<div class="flips">
<h3><code>${breakable(candidate)}</code> against <code>${breakable(baseline)}</code></h3>
${idList('fixed', x.fixed, 'pass')}
${idList('broken', x.broken, 'fail')}
${x.excluded.length > 0 ? idList('left out (provider errors)', x.excluded, 'unscored') : ''}
</div>`;
}

/** `fixed (140)` and the case ids as links to their rows; past IDS_SHOWN the rest folds away. */
function idList(title: string, ids: string[], badge: string): SafeHtml {
  const link = (id: string) => html`<a class="case-id" href="#case-${id}">${id}</a>`;
  const shown = ids.slice(0, IDS_SHOWN);
  const rest = ids.slice(IDS_SHOWN);
  return html`<div class="id-list"><span class="badge ${badge}">${title} (${ids.length})</span>${
    ids.length === 0
      ? html` <span class="empty">none</span>`
      : html` ${shown.map((id) => html`${link(id)} `)}${rest.length > 0 ? html`<details><summary>${rest.length} more</summary>${rest.map((id) => html`${link(id)} `)}</details>` : ''}`
  }</div>`;
}

/** Each model's ranking, and (off the baseline's model) each version against the baseline version there. */
export function perModelSection(c: Comparison): SafeHtml {
  if (c.models.length < 2) return html``;
  return html`<section id="per-model">
<h2>Per model</h2>
<p class="muted">A version can be best on one model and not on another: each model ranks the versions, and compares each with the baseline version on the same model.</p>
${c.perModel.map((m) => {
  const onBaselineModel = m.comparisons.some((x) => x.baseline === c.baseline);
  return html`<h3><code>${m.model}</code></h3>
<p>Best version: <strong><code>${m.bestVersion}</code></strong> · ranking ${m.ranking.map((v, i) => html`${i > 0 ? ' > ' : ''}<code>${v}</code>`)}</p>
${onBaselineModel ? html`<p class="muted">Against the baseline on this model: see above.</p>` : comparisonsBlock(c.settings.objective, m.comparisons, (id) => versionOf(id, m.model))}`;
})}
</section>`;
}

export function methodSection(c: Comparison): SafeHtml {
  const level = Math.round(c.confidence * 100);
  return html`<section id="method">
<h2>How to read this</h2>
<ul class="lessons">
<li>Pass-rate intervals: Wilson score, ${level}%.</li>
<li>Paired tests use the cases both sides scored without a provider error (and that some assertion checked). McNemar's exact test (two-sided) reads the cases that flipped: fixed (the baseline fails, the candidate passes) and broken (the other way).${c.settings.objective === 'pass_rate' && c.settings.repeat === 1 ? ' It decides the verdict: the objective is the pass rate, and with repeat 1 a case is pass or fail.' : ''}</li>
${c.settings.objective === 'mean_score' ? html`<li>The objective is the mean score: a case's score is the weighted mean of its assertion scores (partial credit), and the verdict rests on a paired bootstrap of the mean score difference (${integer(c.settings.resamples)} resamples, seed ${c.settings.seed}).</li>` : ''}
${c.settings.objective === 'pass_rate' && c.settings.repeat > 1 ? html`<li>With repeat ${c.settings.repeat} a case's pass rate is the share of its samples that passed, and the verdict rests on a paired bootstrap of the mean pass-rate difference (${integer(c.settings.resamples)} resamples, seed ${c.settings.seed}).</li>` : ''}
<li>No verdict below ${c.settings.minCases} paired cases (--min-cases); the figures are still shown.</li>
</ul>
</section>`;
}
