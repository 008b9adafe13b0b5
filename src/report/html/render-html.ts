/**
 * ReportData -> report.html. Pure. One self-contained page: inline CSS and inline SVG, no script, no
 * external resource, so it works opened from disk and offline. Every value from the run goes
 * through the escaping `html` tag.
 */
import type { ModelRef, ReportData } from '../types.js';
import { html, trustedConstant, type SafeHtml } from './html.js';
import { casesSection, categoriesSection, lessonsSection, promptSection, spendSection, summarySection, trajectorySection } from './sections.js';
import { FILTER_STYLES, STYLES } from './styles.js';

export function renderHtml(data: ReportData): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>promptopt report: ${data.task.name}</title>
<style>${trustedConstant(STYLES)}${trustedConstant(FILTER_STYLES)}</style>
</head>
<body>
<main>
${header(data)}
${summarySection(data)}
${trajectorySection(data)}
${categoriesSection(data)}
${lessonsSection(data)}
${promptSection(data)}
${casesSection(data)}
${spendSection(data)}
<footer>promptopt · run ${data.runId} · ${data.runDir}</footer>
</main>
</body>
</html>
`.value;
}

function header(data: ReportData): SafeHtml {
  return html`<header>
<h1>promptopt report: ${data.task.name}</h1>
${data.task.description.trim() === '' ? '' : html`<p>${data.task.description}</p>`}
<p class="meta">Run <code>${data.runId}</code> · strategy <code>${data.strategy}</code> · seed ${data.seed} · started ${data.startedAt}${data.finishedAt ? ` · finished ${data.finishedAt}` : ''}</p>
<p class="meta">Target ${model(data.target)} · optimizer ${model(data.optimizerModel)} · spec <code>${data.task.specFile}</code></p>
${data.simulated ? simulatedBanner(data) : ''}
</header>`;
}

function model(ref: ModelRef): SafeHtml {
  return html`<code>${ref.provider}:${ref.model}</code>${ref.simulated ? ' (simulated)' : ''}`;
}

function simulatedBanner(data: ReportData): SafeHtml {
  const who = [data.target.simulated && 'target', data.optimizerModel.simulated && 'optimizer'].filter(Boolean).join(' and ');
  return html`<div class="banner simulated" role="alert"><strong>⚠ SIMULATED</strong> — the ${who} ran on the offline simulator: these scores and costs say nothing about a real model.</div>`;
}
