/** A unified diff as escaped lines, each coloured by its kind (added, removed, hunk, header). Pure. */
import { html, type SafeHtml } from './html.js';

type LineKind = 'add' | 'del' | 'hunk' | 'head' | 'note' | 'ctx';

export function diffView(diff: string): SafeHtml {
  const lines = diff.replace(/\n$/, '').split('\n').filter((l) => !/^=+$/.test(l) && !l.startsWith('Index: '));
  let inHunk = false;
  const kinds = lines.map((line): LineKind => {
    if (line.startsWith('@@')) {
      inHunk = true;
      return 'hunk';
    }
    // Before the first hunk every line is a header (`--- a`, `+++ b`); inside, `---x` is a removed `--x`.
    if (!inHunk) return 'head';
    if (line.startsWith('+')) return 'add';
    if (line.startsWith('-')) return 'del';
    if (line.startsWith('\\')) return 'note';
    return 'ctx';
  });
  return html`<pre class="block diff">${lines.map((l, i) => html`<span class="d-${kinds[i]!}">${l === '' ? ' ' : l}</span>`)}</pre>`;
}
