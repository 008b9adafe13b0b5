/**
 * The one way the HTML reports (optimize runs and compare) build markup: the `html` tag escapes
 * every interpolated value with `escape-html` unless it is markup this module made (SafeHtml). There
 * is no raw interpolation, so text from cases, model outputs or prompts can never become tags,
 * attributes or script.
 */
import escapeHtml from 'escape-html';

/** Markup built by `html` (or a trusted constant such as the stylesheet). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Anything `html` accepts: text (escaped), numbers, markup, lists of them; null/undefined/false render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * Trusted constant markup or CSS, written in this codebase (never data). Named loudly so a review
 * can find every use.
 */
export function trustedConstant(value: string): SafeHtml {
  return new SafeHtml(value);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  if (value === true) return 'true';
  return escapeHtml(String(value));
}
