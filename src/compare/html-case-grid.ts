/**
 * The per-case grid of compare's report.html: one row per case, one column per pair (pass or fail
 * and the output), filterable by split and by change against the baseline with the run report's
 * CSS-only filters. A case is `fixed` or `broken` when a comparison against the baseline counts it so
 * (provider errors are never a flip), `unchanged` otherwise.
 */
import { stringifyValue } from '../template/template.js';
import { breakable } from '../report/html/breakable.js';
import { filteredTable, filterRowClass, filterStyles, type FilterGroups, type RowTags } from '../report/html/case-filters.js';
import { html, type SafeHtml } from '../report/html/html.js';
import { pct } from './format.js';
import { pairCell } from './html-sections.js';
import type { CaseRow, Comparison } from './types.js';

const OUTPUT_CHARS = 600;
/** Least widths of the case, split, input and expected columns together, and of a pair's column. */
const MIN_FIXED_PX = 580; // styles.ts: table.compare-cases col widths
const MIN_PAIR_PX = 200;
const VAR_CHARS = 300;

const CHANGES = [
  { value: 'fixed', text: 'fixed', rowClass: 'flip-fixed' },
  { value: 'broken', text: 'broken', rowClass: 'flip-broken' },
  { value: 'unchanged', text: 'unchanged', rowClass: 'flip-none' },
] as const;

/** Split, then change against the baseline. */
export const COMPARE_CASE_FILTERS: FilterGroups = [
  { name: 'split', title: 'split', values: (['train', 'validation', 'test'] as const).map((s) => ({ value: s, text: s, rowClass: `split-${s}` })) },
  { name: 'change', title: 'against the baseline', values: CHANGES },
];

export const COMPARE_CASE_FILTER_STYLES = filterStyles(COMPARE_CASE_FILTERS);

export function compareCasesSection(c: Comparison): SafeHtml {
  const fixedBy = flipsBy(c, 'fixed');
  const brokenBy = flipsBy(c, 'broken');
  const tags = (row: CaseRow): RowTags => {
    const changes = [fixedBy.has(row.id) && 'fixed', brokenBy.has(row.id) && 'broken'].filter((x): x is string => Boolean(x));
    return [[row.split], changes.length > 0 ? changes : ['unchanged']];
  };
  // Each pair's column keeps room for an output; more pairs than fit scroll sideways.
  const table = html`<table class="cases compare-cases" style="min-width:${MIN_FIXED_PX + c.pairs.length * MIN_PAIR_PX}px">
<colgroup><col class="c-id"><col class="c-split"><col class="c-input"><col class="c-expected">${c.pairs.map(() => html`<col class="c-pair">`)}</colgroup>
<thead><tr><th>Case</th><th>Split</th><th>Input</th><th>Expected</th>${c.pairs.map(
    (p) => html`<th class="pair">${pairCell(c, p.id)}${p.id === c.baseline ? html` <span class="badge split">baseline</span>` : ''}</th>`,
  )}</tr></thead>
<tbody>
${c.cases.map((row) => caseRow(row, c, tags(row), fixedBy, brokenBy))}
</tbody>
</table>`;
  return html`<section id="cases">
<h2>Cases</h2>
<p class="meta">✓ pass, ✗ fail (with the case's score when it is partial), – unchecked (no assertion applies); a green cell fixed the case against the baseline, a red one broke it. Outputs over ${OUTPUT_CHARS} characters are cut here; compare.json has them whole.</p>
${c.cases.length === 0 ? html`<p class="empty">No cases.</p>` : filteredTable(COMPARE_CASE_FILTERS, c.cases.map(tags), table)}
</section>`;
}

/** Case id -> the pairs that fixed (or broke) it against the baseline. */
function flipsBy(c: Comparison, kind: 'fixed' | 'broken'): Map<string, Set<string>> {
  const by = new Map<string, Set<string>>();
  for (const x of c.comparisons) {
    for (const id of x[kind]) by.set(id, (by.get(id) ?? new Set()).add(x.candidate));
  }
  return by;
}

function caseRow(row: CaseRow, c: Comparison, tags: RowTags, fixedBy: Map<string, Set<string>>, brokenBy: Map<string, Set<string>>): SafeHtml {
  const cells = c.pairs.map((p) => {
    const cell = row.cells.find((x) => x.pair === p.id);
    if (!cell) return html`<td><span class="empty">not run</span></td>`;
    const flip = fixedBy.get(row.id)?.has(p.id) ? ' fixed' : brokenBy.get(row.id)?.has(p.id) ? ' broken' : '';
    if (cell.unchecked) {
      return html`<td class="unchecked"><span class="mark" title="no assertion applies to this case">–</span>${cell.output === '' ? '' : html`<pre>${breakable(cut(cell.output, OUTPUT_CHARS))}</pre>`}</td>`;
    }
    const score = cell.score > 0 && cell.score < 1 ? html` <span class="muted">score ${pct(cell.score)}</span>` : '';
    return html`<td class="${cell.pass ? 'pass' : 'fail'}${flip}"><span class="mark">${cell.pass ? '✓' : '✗'}</span>${score}${
      cell.providerError ? html` <span class="muted">provider error: ${cut(cell.providerError, 200)}</span>` : ''
    }${cell.output === '' ? '' : html`<pre>${breakable(cut(cell.output, OUTPUT_CHARS))}</pre>`}</td>`;
  });
  const vars = Object.entries(row.vars);
  const input =
    vars.length === 1
      ? html`<pre>${breakable(cut(stringifyValue(vars[0]![1]), VAR_CHARS))}</pre>`
      : html`${vars.map(([name, value]) => html`<div><span class="var-name mono">${name}:</span><pre>${breakable(cut(stringifyValue(value), VAR_CHARS))}</pre></div>`)}`;
  return html`<tr id="case-${row.id}" class="${filterRowClass(COMPARE_CASE_FILTERS, tags)}" data-case="${row.id}">
<td class="mono">${breakable(row.id)}</td><td><span class="badge split">${row.split}</span></td><td>${input}</td>
<td>${row.expected === undefined ? html`<span class="empty">—</span>` : html`<pre>${breakable(cut(stringifyValue(row.expected), VAR_CHARS))}</pre>`}</td>${cells}
</tr>`;
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
