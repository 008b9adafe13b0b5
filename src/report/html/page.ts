/**
 * The page every HTML report is (an optimize run's report.html, compare's report.html): one
 * self-contained file with inline CSS and inline SVG, no script, no external resource (a
 * content-security policy forbids both), so it works opened from disk and offline.
 */
import { html, trustedConstant, type SafeHtml } from './html.js';
import { STYLES } from './styles.js';

export interface PageInput {
  title: string;
  /** Stylesheets written in this codebase (never data), after the shared one. */
  trustedStyles?: readonly string[];
  body: SafeHtml;
  footer: string;
}

export function htmlPage(input: PageInput): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${input.title}</title>
<style>${trustedConstant(STYLES)}${(input.trustedStyles ?? []).map((css) => trustedConstant(`\n${css}`))}</style>
</head>
<body>
<main>
${input.body}
<footer>${input.footer}</footer>
</main>
</body>
</html>
`.value;
}

/** The warning that results come from the offline simulator; `what` says whose. */
export function simulatedBanner(what: string): SafeHtml {
  return html`<div class="banner simulated" role="alert"><strong>⚠ SIMULATED</strong> — ${what}: these scores and costs say nothing about a real model.</div>`;
}
