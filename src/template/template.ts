/**
 * Templates, in one of two engines chosen per spec (`template:`):
 * - `simple` (the default): `{{variable}}` substitution. A variable name is letters, digits, `_`, `-`
 *   and `.` (nested lookups such as `{{customer.name}}`; `{{my-var}}` is the variable `my-var`).
 *   Non-string values render as JSON; whitespace inside the braces is allowed; nothing else is syntax.
 * - `nunjucks`: the Nunjucks language (filters, conditionals, loops, `{{ item.field }}`), with
 *   autoescape off and an undefined value an error (see nunjucks-engine.ts).
 *
 * `templateVariableUses` is THE static extraction of the variables a template reads, for both engines:
 * the spec rules, the optimizer (which variables it sees, which a candidate must keep), imports and
 * warnings all read it.
 */
import { nunjucksTemplateProblem, renderNunjucks } from './nunjucks-engine.js';
import { nunjucksVariableUses, type TemplateSyntaxProblem, type VariableUse } from './nunjucks-variables.js';

export type { TemplateSyntaxProblem, VariableUse } from './nunjucks-variables.js';
export { TemplateRenderError } from './nunjucks-engine.js';

export const TEMPLATE_ENGINES = ['simple', 'nunjucks'] as const;
export type TemplateEngine = (typeof TEMPLATE_ENGINES)[number];

const VARIABLE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/**
 * The variables a template reads, in order of first appearance, each with whether a case may leave it
 * out (only Nunjucks templates can say so: `{% if x %}`, `x is defined`, `x | default(...)`). A Nunjucks
 * template that does not parse reads nothing: `templateProblem` reports it.
 */
export function templateVariableUses(template: string, engine: TemplateEngine = 'simple'): VariableUse[] {
  if (engine === 'nunjucks') {
    if (!template.includes('{')) return [];
    try {
      return nunjucksVariableUses(template);
    } catch {
      return [];
    }
  }
  const names = new Set<string>();
  for (const match of template.matchAll(VARIABLE)) names.add(match[1]!);
  return [...names].map((name) => ({ name, optional: false }));
}

/** The distinct variable names a template uses, in order of first appearance. */
export function templateVariables(template: string, engine: TemplateEngine = 'simple'): string[] {
  return templateVariableUses(template, engine).map((use) => use.name);
}

/** Why a template cannot be used whatever the case (Nunjucks syntax, unknown filter...); undefined when it can. */
export function templateProblem(template: string, engine: TemplateEngine = 'simple'): TemplateSyntaxProblem | undefined {
  return engine === 'nunjucks' ? nunjucksTemplateProblem(template) : undefined;
}

/** The top-level variable a name reads (`customer.name` -> `customer`). */
export function rootVariable(name: string): string {
  return name.split('.')[0]!;
}

/**
 * The value `name` reads from `vars`: a top-level var (also one whose name holds dots, such as a CSV
 * column `customer.name`), else a nested lookup through own fields (`customer.name`, `items.0`);
 * undefined when there is none.
 */
export function lookupVariable(vars: Record<string, unknown>, name: string): unknown {
  if (Object.hasOwn(vars, name)) return vars[name];
  let value: unknown = vars;
  for (const part of name.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export function stringifyValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Renders a template. `simple`: each `{{name}}` becomes its value; an unknown name is left as written
 * (the spec rules refuse those before any call). `nunjucks`: throws a TemplateRenderError when the
 * template reads an undefined value.
 */
export function renderTemplate(template: string, vars: Record<string, unknown>, engine: TemplateEngine = 'simple'): string {
  if (engine === 'nunjucks') return template.includes('{') ? renderNunjucks(template, vars) : template;
  return template.replace(VARIABLE, (whole, name: string) => {
    const value = lookupVariable(vars, name);
    return value === undefined ? whole : stringifyValue(value);
  });
}
