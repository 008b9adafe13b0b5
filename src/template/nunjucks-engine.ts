/**
 * Rendering with Nunjucks (`template: nunjucks`): the `nunjucks` package with autoescape off (a prompt
 * is not HTML) and undefined values an error (`throwOnUndefined`), no template folder (no include,
 * extends or import). A list or an object printed whole renders as JSON, as in `{{var}}` specs
 * (nunjucks alone would print `[object Object]`); its fields and items read as usual
 * (`{{ item.field }}`, `{% for x in items %}`, `{{ items | join(", ") }}`).
 */
import nunjucks from 'nunjucks';
import { describeNunjucksError, nunjucksProblem, type TemplateSyntaxProblem } from './nunjucks-variables.js';

const environment = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });

/** Compiled templates by text (prompts, assertion values, candidates); cleared when it grows large. */
const compiled = new Map<string, nunjucks.Template>();
const MAX_COMPILED = 2000;

function compile(template: string): nunjucks.Template {
  let entry = compiled.get(template);
  if (!entry) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    entry = new nunjucks.Template(template, environment, undefined, true);
    compiled.set(template, entry);
  }
  return entry;
}

/** Thrown when a template cannot be rendered with a case's variables (an undefined value, a bad filter input). */
export class TemplateRenderError extends Error {
  constructor(
    readonly problem: TemplateSyntaxProblem,
  ) {
    super(problem.line !== undefined ? `${problem.message} (template line ${problem.line}, column ${problem.column})` : problem.message);
    this.name = 'TemplateRenderError';
  }
}

export function renderNunjucks(template: string, vars: Record<string, unknown>): string {
  try {
    return compile(template).render(printable(vars) as object);
  } catch (error) {
    throw new TemplateRenderError(describeNunjucksError(error));
  }
}

/** Why the template cannot be used at all (syntax, unknown filter or test, include); undefined when it can. */
export function nunjucksTemplateProblem(template: string): TemplateSyntaxProblem | undefined {
  return nunjucksProblem(template, KNOWN);
}

const KNOWN = {
  filters: new Set(Object.keys((environment as unknown as { filters: object }).filters)),
  tests: new Set(Object.keys((environment as unknown as { tests: object }).tests)),
};

/**
 * A copy of `value` whose objects and arrays print as JSON (a non-enumerable `toString`, so fields,
 * `length`, `join`, `dump` and loops see the same data). Strings, numbers and booleans are as they were.
 */
function printable(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (depth === 0 && !Object.values(value).some((item) => item !== null && typeof item === 'object')) return value;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? value.map((item) => printable(item, depth + 1))
    : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, printable(item, depth + 1)]));
  if (depth > 0) Object.defineProperty(copy, 'toString', { value: () => JSON.stringify(value), enumerable: false });
  return copy;
}
