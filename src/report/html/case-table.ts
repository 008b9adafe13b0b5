/**
 * The case table of the HTML report: one row per case scored with the final prompt (input,
 * expected, actual output, failing assertions), filterable by split and by result with CSS only
 * (case-filters.ts). Every value is escaped text; long identifiers wrap at their `_`. Pure.
 */
import type { CaseRecord } from '../types.js';
import { breakable } from './breakable.js';
import { filteredTable, filterRowClass, filterStyles, type FilterGroups, type RowTags } from './case-filters.js';
import { html, type SafeHtml } from './html.js';

/** Split, then result: the filters of the run report's case table. */
export const RUN_CASE_FILTERS: FilterGroups = [
  {
    name: 'split',
    title: 'split',
    values: (['train', 'validation', 'test'] as const).map((s) => ({ value: s, text: s, rowClass: `split-${s}` })),
  },
  {
    name: 'result',
    title: 'result',
    values: (['pass', 'fail', 'unchecked'] as const).map((r) => ({ value: r, text: r, rowClass: r })),
  },
];

export const RUN_CASE_FILTER_STYLES = filterStyles(RUN_CASE_FILTERS);

/** The filters a table shows: `unchecked` only when some case is (the stylesheet covers both). */
function filtersFor(cases: CaseRecord[]): FilterGroups {
  if (cases.some((c) => c.unchecked)) return RUN_CASE_FILTERS;
  const [split, result] = RUN_CASE_FILTERS;
  return [split!, { ...result!, values: result!.values.filter((v) => v.value !== 'unchecked') }];
}

export function caseTable(cases: CaseRecord[]): SafeHtml {
  const table = html`<table class="cases">
<colgroup><col class="c-id"><col class="c-split"><col class="c-result"><col class="c-input"><col class="c-expected"><col class="c-output"><col class="c-failures"></colgroup>
<thead><tr><th>Case</th><th>Split</th><th>Result</th><th>Input</th><th>Expected</th><th>Actual output</th><th>Failing assertions</th></tr></thead>
<tbody>
${cases.map(caseRow)}
</tbody>
</table>`;
  return filteredTable(filtersFor(cases), cases.map(tagsOf), table);
}

function resultOf(c: CaseRecord): 'pass' | 'fail' | 'unchecked' {
  return c.unchecked ? 'unchecked' : c.pass ? 'pass' : 'fail';
}

function tagsOf(c: CaseRecord): RowTags {
  return [[c.split], [resultOf(c)]];
}

function caseRow(c: CaseRecord): SafeHtml {
  const result = resultOf(c);
  const partial = !c.unchecked && c.score !== undefined && c.score > 0 && c.score < 1 ? html`<br><span class="muted nowrap">score ${(c.score * 100).toFixed(1)}%</span>` : '';
  return html`<tr class="${filterRowClass(RUN_CASE_FILTERS, tagsOf(c))}" data-case="${c.caseId}">
<td class="mono">${breakable(c.caseId)}</td>
<td><span class="badge split">${c.split}</span></td>
<td><span class="badge ${result}"${result === 'unchecked' ? ' title="no assertion applies to this case: in no pass rate or score"' : ''}>${result}</span>${partial}</td>
<td>${vars(c.vars)}</td>
<td>${c.expected === undefined ? html`<span class="empty">—</span>` : html`<pre>${breakable(valueText(c.expected))}</pre>`}</td>
<td>${c.output === '' ? html`<span class="empty">(empty)</span>` : html`<pre>${breakable(c.output)}</pre>`}</td>
<td>${failures(c)}</td>
</tr>
`;
}

function vars(values: Record<string, unknown>): SafeHtml {
  const entries = Object.entries(values);
  if (entries.length === 0) return html`<span class="empty">—</span>`;
  if (entries.length === 1) return html`<pre>${breakable(valueText(entries[0]![1]))}</pre>`;
  return html`${entries.map(([name, value]) => html`<div><span class="var-name mono">${name}:</span><pre>${breakable(valueText(value))}</pre></div>`)}`;
}

function failures(c: CaseRecord): SafeHtml {
  if (c.failures.length === 0) return c.pass ? html`` : html`<span class="empty">failed (no assertion detail)</span>`;
  return html`<ul class="failures">${c.failures.map(
    (f) => html`<li><code>${f.type}</code> <span class="muted">${f.category}</span><br>${breakable(f.reason)}</li>`,
  )}</ul>`;
}

/** Strings as they are; anything else as indented JSON. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  return JSON.stringify(value, null, 2) ?? String(value);
}
