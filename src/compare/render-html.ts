/**
 * compare's report.html, in the run report's design (the shared page, stylesheet, cards, case-table
 * filters of src/report/html): a summary with the verdicts and a pass-rate chart with intervals,
 * the pairs side by side, each pair against the baseline with its fixed and broken cases, results
 * per model, and the per-case grid filterable by split and by change. One self-contained file
 * (inline CSS and SVG, no script, no network; a CSP forbids both). Every piece of data goes through
 * `html`.
 */
import { html, type SafeHtml } from '../report/html/html.js';
import { htmlPage, simulatedBanner } from '../report/html/page.js';
import { COMPARE_CASE_FILTER_STYLES, compareCasesSection } from './html-case-grid.js';
import { methodSection, pairsSection, perModelSection, summarySection, verdictsSection } from './html-sections.js';
import type { Comparison } from './types.js';

export function renderCompareHtml(comparison: Comparison, generatedAt: Date): string {
  const c = comparison;
  return htmlPage({
    title: `promptopt compare: ${c.task}`,
    trustedStyles: [COMPARE_CASE_FILTER_STYLES],
    body: html`${header(c, generatedAt)}
${summarySection(c)}
${pairsSection(c)}
${verdictsSection(c)}
${perModelSection(c)}
${compareCasesSection(c)}
${methodSection(c)}`,
    footer: `promptopt compare · ${c.specFile} · ${generatedAt.toISOString()}`,
  });
}

function header(c: Comparison, generatedAt: Date): SafeHtml {
  const split = c.split === 'all' ? 'all splits' : `${c.split} split`;
  const simulated = c.models.filter((m) => m.simulated).map((m) => m.label);
  return html`<header>
<h1>promptopt compare: ${c.task}</h1>
<p class="meta">${c.cases.length} cases (${split}) · ${c.versions.length} version(s) × ${c.models.length} model(s) · repeat ${c.settings.repeat} · alpha ${c.settings.alpha} · baseline <code>${c.baseline}</code></p>
<p class="meta">Spec <code>${c.specFile}</code> · generated <span class="nowrap">${generatedAt.toISOString()}</span></p>
${simulated.length > 0 ? simulatedBanner(`${simulated.join(', ')} ran on the offline simulator`) : ''}
</header>`;
}
