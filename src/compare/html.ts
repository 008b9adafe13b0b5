/**
 * Markup for the compare report, built one way only: the `html` tag escapes every interpolated
 * value with `escape-html` unless it is markup made by this tag (Markup). Case inputs, expected
 * values, model outputs, file names and labels can therefore never become tags or attributes.
 */
import escapeHtml from 'escape-html';

export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type HtmlValue = Markup | string | number | null | undefined | false | readonly HtmlValue[];

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Markup(out);
}

/** Constant CSS or markup written in this codebase, never data. */
export function trusted(value: string): Markup {
  return new Markup(value);
}

function render(value: HtmlValue): string {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}
