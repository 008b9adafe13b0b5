/**
 * Text that may wrap between the parts of a long identifier, never inside a word: a line break
 * opportunity (`<wbr>`) after each `_`, and after a `.` or `/` between two letters or digits, so
 * `beneficiary_not_allowed` wraps as `beneficiary_not_` / `allowed` rather than mid-word. The text
 * is escaped like any other `html` value; only the `<wbr>` are markup.
 */
import { html, type SafeHtml } from './html.js';

const BREAK_AFTER = /(?<=_)(?=[^\s_])|(?<=[\p{L}\p{N}][./])(?=[\p{L}\p{N}])/u;

export function breakable(text: string): SafeHtml {
  const parts = text.split(BREAK_AFTER);
  return html`${parts.map((part, i) => (i === 0 ? part : html`<wbr>${part}`))}`;
}
