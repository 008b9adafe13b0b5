/**
 * compare's report.html: one self-contained file (inline CSS, no script, no network; a CSP that
 * forbids both) with the side-by-side table, the verdicts against the baseline with the flipped
 * cases, results per model, and the per-case grid. Every piece of data goes through `html`.
 */
import { html, trustedConstant, type SafeHtml } from '../report/html/html.js';
import { stringifyValue } from '../spec/template.js';
import { idList, interval, ms, pct, points, pointsInterval, pValue, testName, usdPerCase } from './format.js';
import { versionOf } from './render-text.js';
import type { CaseRow, Comparison, PairComparison, PairSummary } from './types.js';

const OUTPUT_CHARS = 600;
const VAR_CHARS = 300;

export function renderCompareHtml(comparison: Comparison, generatedAt: Date): string {
  const c = comparison;
  const simulated = c.models.some((m) => m.simulated);
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>promptopt compare · ${c.task}</title>
<style>${trustedConstant(STYLES)}</style>
</head>
<body>
<h1>Compare · ${c.task}</h1>
<p class="meta">${c.cases.length} cases (${c.split}) · repeat ${c.settings.repeat} · alpha ${c.settings.alpha} · verdicts from ${c.settings.minCases} paired cases · baseline <b>${c.baseline}</b> · ${generatedAt.toISOString()}</p>
${simulated ? html`<p class="banner">SIMULATED: some results come from the offline simulator, not a real model.</p>` : ''}
<h2>Side by side</h2>
${pairsTable(c)}
<h2>Against the baseline ${c.baseline}</h2>
${comparisonsTable(c.comparisons, (id) => id)}
<h2>Per model</h2>
${c.perModel.map(
  (m) => html`<h3>${m.model}</h3>
<p>Best version: <b>${m.bestVersion}</b> · ranking: ${m.ranking.join(' > ')} · each version against ${m.baselineVersion} on this model:</p>
${comparisonsTable(m.comparisons, (id) => versionOf(id, m.model))}`,
)}
<h2>Cases</h2>
<p class="meta">✓ pass, ✗ fail; green: fixed against the baseline, red: broken. Outputs over ${OUTPUT_CHARS} characters are cut here; compare.json has them whole.</p>
${casesTable(c)}
<p class="meta">Pass-rate intervals: Wilson score, ${Math.round(c.confidence * 100)}%. Paired tests on the cases both sides scored without a provider error: McNemar's exact test on pass/fail (two-sided, the verdict's test with repeat 1), and a paired bootstrap of the mean score difference (${c.settings.resamples} resamples, seed ${c.settings.seed}; the verdict's test with repeat &gt; 1).</p>
</body>
</html>
`;
  return page.value;
}

function pairsTable(c: Comparison): SafeHtml {
  const rows = c.pairs.map((p) => html`<tr class="${p.id === c.baseline ? 'baseline' : 'pair'}">
<td>${p.version}</td><td>${p.model}${p.simulated ? ' (SIMULATED)' : ''}${p.id === c.baseline ? ' · baseline' : ''}</td>
<td class="num">${pct(p.passRate)} <span class="dim">(${p.passed}/${p.cases})</span></td>
<td>${ciBar(p)} <span class="dim">${interval(p.passRateInterval)}</span></td>
<td class="num">${pct(p.score)}</td>
<td class="num">${usdPerCase(p.costPerCaseUsd)}</td>
<td class="num">${ms(p.meanLatencyMs)}</td>
<td class="num">${p.inputTokens} / ${p.outputTokens}</td>
<td class="num">${p.providerErrors}</td>
</tr>`);
  return html`<table>
<thead><tr><th>version</th><th>model</th><th>pass rate</th><th>${Math.round(c.confidence * 100)}% CI</th><th>score</th><th>cost / case</th><th>mean latency</th><th>tokens in / out</th><th>provider errors</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

/** The interval as a bar on a 0–100% track, with a tick at the pass rate (CSS only). */
function ciBar(p: PairSummary): SafeHtml {
  const left = (p.passRateInterval.lower * 100).toFixed(2);
  const width = ((p.passRateInterval.upper - p.passRateInterval.lower) * 100).toFixed(2);
  const tick = (p.passRate * 100).toFixed(2);
  return html`<span class="track"><span class="ci" style="left:${left}%;width:${width}%"></span><span class="tick" style="left:${tick}%"></span></span>`;
}

function comparisonsTable(comparisons: PairComparison[], label: (id: string) => string): SafeHtml {
  if (comparisons.length === 0) return html`<p class="dim">Nothing to compare.</p>`;
  const rows = comparisons.map((x) => html`<tr>
<td>${label(x.candidate)}</td>
<td><span class="verdict ${x.verdict}">${x.verdictText}</span></td>
<td class="num">${points(x.passRateDifference)}</td>
<td class="num">${x.n}</td>
<td>${testName(x.test)} p=${pValue(x.pValue)}</td>
<td class="num">b=${x.mcnemar.b} c=${x.mcnemar.c} p=${pValue(x.mcnemar.pValue)}</td>
<td class="num">${points(x.bootstrap.meanDifference)} ${pointsInterval(x.bootstrap.interval)} p=${pValue(x.bootstrap.pValue)}</td>
<td class="ids">${x.fixed.length > 0 ? html`<b>${x.fixed.length}</b>: ${idList(x.fixed, 40)}` : '—'}</td>
<td class="ids">${x.broken.length > 0 ? html`<b>${x.broken.length}</b>: ${idList(x.broken, 40)}` : '—'}${
    x.excluded.length > 0 ? html`<br><span class="dim">left out (provider errors): ${idList(x.excluded, 20)}</span>` : ''
  }</td>
</tr>`);
  return html`<table>
<thead><tr><th>candidate</th><th>verdict</th><th>Δ pass rate</th><th>n</th><th>test</th><th>McNemar</th><th>bootstrap Δ score [95% CI]</th><th>fixed</th><th>broken</th></tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

function casesTable(c: Comparison): SafeHtml {
  const head = c.pairs.map((p) => html`<th>${p.id}</th>`);
  const rows = c.cases.map((row) => caseRow(row, c.baseline));
  return html`<table class="cases">
<thead><tr><th>case</th><th>input</th><th>expected</th>${head}</tr></thead>
<tbody>${rows}</tbody>
</table>`;
}

function caseRow(row: CaseRow, baseline: string): SafeHtml {
  const base = row.cells.find((cell) => cell.pair === baseline);
  const cells = row.cells.map((cell) => {
    const flip = base && cell.pair !== baseline && cell.pass !== base.pass ? (cell.pass ? 'fixed' : 'broken') : '';
    const classes = `${cell.pass ? 'pass' : 'fail'}${flip ? ` ${flip}` : ''}`;
    return html`<td class="${classes}"><span class="mark">${cell.pass ? '✓' : '✗'}</span>${
      cell.providerError ? html` <span class="dim">provider error: ${cut(cell.providerError, 200)}</span>` : ''
    }<pre>${cut(cell.output, OUTPUT_CHARS)}</pre></td>`;
  });
  const vars = Object.entries(row.vars).map(([name, value]) => html`<div><span class="dim">${name}:</span> ${cut(stringifyValue(value), VAR_CHARS)}</div>`);
  return html`<tr><td>${row.id}<br><span class="dim">${row.split}</span></td><td class="vars">${vars}</td><td><pre>${
    row.expected === undefined ? '' : cut(stringifyValue(row.expected), VAR_CHARS)
  }</pre></td>${cells}</tr>`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

const STYLES = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1b1f24;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
.meta,.dim{color:#57606a}.meta{font-size:13px}
.banner{background:#fff8c5;border:1px solid #d4a72c;padding:6px 10px;border-radius:4px}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
td.num{text-align:right;white-space:nowrap}
tr.baseline td{background:#f6f8fa}
td.ids{max-width:300px;overflow-wrap:anywhere}
.verdict{padding:1px 6px;border-radius:10px;white-space:nowrap}
.verdict.better{background:#dafbe1;color:#116329}.verdict.worse{background:#ffebe9;color:#a40e26}
.verdict.no_significant_difference{background:#eaeef2}.verdict.too_few_cases{background:#fff8c5;color:#7d4e00}
.track{position:relative;display:inline-block;width:120px;height:10px;background:#eaeef2;border-radius:5px;vertical-align:middle}
.ci{position:absolute;top:0;height:10px;background:#8cb4ff;border-radius:5px}
.tick{position:absolute;top:-2px;width:2px;height:14px;background:#0b3d91}
table.cases td{max-width:320px}
pre{margin:2px 0 0;white-space:pre-wrap;word-break:break-word;font:12px/1.35 ui-monospace,SFMono-Regular,Menlo,monospace}
td.pass .mark{color:#116329;font-weight:700}td.fail .mark{color:#a40e26;font-weight:700}
td.fixed{background:#dafbe1}td.broken{background:#ffebe9}
.vars div{margin-bottom:2px;word-break:break-word}
`;
