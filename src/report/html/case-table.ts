/**
 * The case table of the HTML report: one row per case scored with the final prompt (input,
 * expected, actual output, failing assertions), filterable by split and by result with CSS only
 * (radios before the table, FILTER_STYLES). Every value is escaped text. Pure.
 */
import type { CaseRecord } from '../types.js';
import { html, type SafeHtml } from './html.js';

const SPLITS = ['train', 'validation', 'test'] as const;

export function caseTable(cases: CaseRecord[]): SafeHtml {
  const count = (keep: (c: CaseRecord) => boolean) => cases.filter(keep).length;
  const radio = (group: 'split' | 'result', value: string, checked = false) =>
    html`<input class="filter-input" type="radio" name="case-${group}" id="f-${group}-${value}" value="${value}"${checked ? html` checked` : ''}>`;
  const label = (group: 'split' | 'result', value: string, text: string, n: number) =>
    html`<label for="f-${group}-${value}">${text} <span class="count">(${n})</span></label>`;
  return html`<div class="case-filters">
${radio('split', 'all', true)}${SPLITS.map((s) => radio('split', s))}
${radio('result', 'all', true)}${radio('result', 'pass')}${radio('result', 'fail')}
<div class="filters">
<div class="group" role="group" aria-label="split"><span>split</span>${label('split', 'all', 'all', cases.length)}${SPLITS.map((s) => label('split', s, s, count((c) => c.split === s)))}</div>
<div class="group" role="group" aria-label="result"><span>result</span>${label('result', 'all', 'all', cases.length)}${label('result', 'pass', 'pass', count((c) => c.pass))}${label('result', 'fail', 'fail', count((c) => !c.pass))}</div>
</div>
<div class="table-wrap">
<table class="cases">
<colgroup><col class="c-id"><col class="c-split"><col class="c-result"><col class="c-input"><col class="c-expected"><col class="c-output"><col class="c-failures"></colgroup>
<thead><tr><th>Case</th><th>Split</th><th>Result</th><th>Input</th><th>Expected</th><th>Actual output</th><th>Failing assertions</th></tr></thead>
<tbody>
${cases.map(caseRow)}
</tbody>
</table>
</div>
</div>`;
}

function caseRow(c: CaseRecord): SafeHtml {
  const result = c.pass ? 'pass' : 'fail';
  return html`<tr class="split-${c.split} ${result}" data-case="${c.caseId}">
<td class="mono">${c.caseId}</td>
<td><span class="badge split">${c.split}</span></td>
<td><span class="badge ${result}">${result}</span></td>
<td>${vars(c.vars)}</td>
<td>${c.expected === undefined ? html`<span class="empty">—</span>` : html`<pre>${valueText(c.expected)}</pre>`}</td>
<td>${c.output === '' ? html`<span class="empty">(empty)</span>` : html`<pre>${c.output}</pre>`}</td>
<td>${failures(c)}</td>
</tr>
`;
}

function vars(values: Record<string, unknown>): SafeHtml {
  const entries = Object.entries(values);
  if (entries.length === 0) return html`<span class="empty">—</span>`;
  if (entries.length === 1) return html`<pre>${valueText(entries[0]![1])}</pre>`;
  return html`${entries.map(([name, value]) => html`<div><span class="var-name mono">${name}:</span><pre>${valueText(value)}</pre></div>`)}`;
}

function failures(c: CaseRecord): SafeHtml {
  if (c.failures.length === 0) return c.pass ? html`` : html`<span class="empty">failed (no assertion detail)</span>`;
  return html`<ul class="failures">${c.failures.map(
    (f) => html`<li><code>${f.type}</code> <span class="muted">${f.category}</span><br>${f.reason}</li>`,
  )}</ul>`;
}

/** Strings as they are; anything else as indented JSON. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}
