/**
 * Things in a valid spec that are probably mistakes and cost money if they are: said once, before
 * the first call, as warnings (the run goes on). A prompt that uses no variable sends every case
 * the same request; a case of hundreds of kilobytes is more than most models accept and is paid
 * for on every call.
 */
import { displayPath } from './issues.js';
import { requestTemplates, requestVariables } from './prompt-templates.js';
import type { Spec, TestCase } from './types.js';

/** Characters of variables in one case above which it is called out (~125,000 tokens at ~4 characters a token). */
export const LARGE_CASE_CHARS = 500_000;

export function specWarnings(spec: Spec): string[] {
  return [...noVariableWarning(spec), ...nunjucksInSimpleWarning(spec), ...largeCaseWarning(spec.cases)];
}

/** `{{ x | upper }}`, `{{ a.b[0] }}`, `{% if %}`: what only Nunjucks renders. */
const NUNJUCKS_SYNTAX = /\{\{(?!\s*[A-Za-z_][\w.-]*\s*\}\})[^{}]*\}\}|\{%[\s\S]*?%\}/;

/**
 * A `{{var}}` spec whose templates hold Nunjucks syntax: it is sent as written (that is what these specs
 * have always done), which is rarely what the author meant.
 */
export function nunjucksInSimpleWarning(spec: Spec): string[] {
  if (spec.templateEngine !== 'simple') return [];
  for (const template of requestTemplates(spec)) {
    const match = NUNJUCKS_SYNTAX.exec(template.text);
    if (!match) continue;
    const where = template.field === 'prompt' && spec.prompt.file ? displayPath(spec.prompt.file) : `${displayPath(spec.file)} (${template.field})`;
    const shown = match[0].length > 60 ? `${match[0].slice(0, 57)}...` : match[0];
    return [
      `warning: ${where}: "${shown}" is Nunjucks syntax, but this spec's templates are plain {{var}} substitution, so it is sent as written (add \`template: nunjucks\` to the spec to render it)`,
    ];
  }
  return [];
}

/**
 * The request templates (the prompt, or `prompt` given in its place, and the fixed system/user ones)
 * use no `{{variable}}` at all.
 */
export function noVariableWarning(spec: Spec, prompt: { text: string; file?: string } = spec.prompt): string[] {
  if (spec.cases.length < 2 || requestVariables(spec, { text: prompt.text, form: spec.prompt.form }).length > 0) return [];
  const where = prompt.file ? displayPath(prompt.file) : `${displayPath(spec.file)} (prompt)`;
  const names = Object.keys(spec.cases[0]!.vars);
  return [
    `warning: ${where}: the prompt uses no template variable, so all ${spec.cases.length} cases send the same request` +
      `${names.length > 0 ? ` (cases have: ${names.slice(0, 5).join(', ')}; e.g. add {{${names[0]}}})` : ''}`,
  ];
}

function largeCaseWarning(cases: readonly TestCase[]): string[] {
  const large = cases.map((c) => ({ testCase: c, chars: varsChars(c.vars) })).filter((c) => c.chars > LARGE_CASE_CHARS);
  if (large.length === 0) return [];
  const biggest = large.reduce((a, b) => (b.chars > a.chars ? b : a));
  const { origin } = biggest.testCase;
  const where = `${displayPath(origin.file)}${origin.line !== undefined ? `:${origin.line}` : ''}`;
  const size = `${(biggest.chars / 1_000_000).toFixed(1)} MB of text (~${Math.round(biggest.chars / 4).toLocaleString('en-US')} tokens)`;
  const others = large.length > 1 ? `; ${large.length - 1} other case${large.length > 2 ? 's are' : ' is'} over ${LARGE_CASE_CHARS / 1000} kB too` : '';
  return [
    `warning: case "${biggest.testCase.id}" (${where}) sends ${size}: more than most models accept, and paid for on every call${others}`,
  ];
}

function varsChars(vars: Record<string, unknown>): number {
  let total = 0;
  for (const value of Object.values(vars)) total += typeof value === 'string' ? value.length : JSON.stringify(value ?? '').length;
  return total;
}
