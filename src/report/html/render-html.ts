/**
 * ReportData -> report.html. Pure. One self-contained page (page.ts): inline CSS and inline SVG, no
 * script, no external resource, so it works opened from disk and offline. Every value from the run
 * goes through the escaping `html` tag.
 */
import type { ModelRef, ReportData } from '../types.js';
import { RUN_CASE_FILTER_STYLES } from './case-table.js';
import { html, type SafeHtml } from './html.js';
import { htmlPage, simulatedBanner } from './page.js';
import { scoresSection } from './scores-section.js';
import { casesSection, categoriesSection, lessonsSection, promptSection, selectionSection, spendSection, summarySection, trajectorySection } from './sections.js';

export function renderHtml(data: ReportData): string {
  return htmlPage({
    title: `promptopt report: ${data.task.name}`,
    trustedStyles: [RUN_CASE_FILTER_STYLES],
    body: html`${header(data)}
${summarySection(data)}
${selectionSection(data)}
${scoresSection(data)}
${trajectorySection(data)}
${categoriesSection(data)}
${lessonsSection(data)}
${promptSection(data)}
${casesSection(data)}
${spendSection(data)}`,
    footer: `promptopt · run ${data.runId} · ${data.runDir}`,
  });
}

function header(data: ReportData): SafeHtml {
  return html`<header>
<h1>promptopt report: ${data.task.name}</h1>
${data.task.description.trim() === '' ? '' : html`<p>${data.task.description}</p>`}
<p class="meta">Run <code>${data.runId}</code> · strategy <code>${data.strategy}</code> · seed ${data.seed} · started <span class="nowrap">${data.startedAt}</span>${data.finishedAt ? html` · finished <span class="nowrap">${data.finishedAt}</span>` : ''}</p>
<p class="meta">Target ${model(data.target)} · optimizer ${model(data.optimizerModel)} · spec <code>${data.task.specFile}</code></p>
${data.simulated ? simulatedBanner(`the ${simulatedWho(data)} ran on the offline simulator`) : ''}
</header>`;
}

function model(ref: ModelRef): SafeHtml {
  return html`<code>${ref.provider}:${ref.model}</code>${ref.simulated ? ' (simulated)' : ''}`;
}

function simulatedWho(data: ReportData): string {
  return [data.target.simulated && 'target', data.optimizerModel.simulated && 'optimizer'].filter(Boolean).join(' and ');
}
