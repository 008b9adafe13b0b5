/**
 * Templating of an assertion's `value` with the case's vars and `{{expected}}`, before dispatch, in the
 * spec's template engine (`{{var}}` or Nunjucks). Strings are rendered (also inside arrays and
 * objects); a string that is exactly one `{{name}}` naming an object or array is replaced by that raw
 * value, so `equals: "{{expected}}"` and `contains-json: "{{expected}}"` can compare structured
 * expectations.
 */
import { lookupVariable, renderTemplate, rootVariable, templateVariableUses, type TemplateEngine, type VariableUse } from '../template/template.js';

const WHOLE_VARIABLE = /^\s*\{\{\s*([A-Za-z_][\w-]*)\s*\}\}\s*$/;

/** The variables a value sees: the case's vars plus `expected` (when the case has one). */
export function templateVars(vars: Record<string, unknown>, expected: unknown): Record<string, unknown> {
  return expected === undefined ? vars : { ...vars, expected };
}

/** What `{{name}}` reads for a case, exactly as in `templateVars(vars, expected)`, without building that object. */
export function caseVariable(vars: Record<string, unknown>, expected: unknown, name: string): unknown {
  if (expected === undefined) return lookupVariable(vars, name);
  if (name === 'expected') return expected;
  if (Object.hasOwn(vars, name) || rootVariable(name) !== 'expected') return lookupVariable(vars, name);
  return lookupVariable({ expected }, name);
}

export function renderValue(value: unknown, vars: Record<string, unknown>, engine: TemplateEngine = 'simple'): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_VARIABLE.exec(value);
    if (whole && Object.hasOwn(vars, whole[1]!)) {
      const raw = vars[whole[1]!];
      if (raw !== null && typeof raw === 'object') return raw;
    }
    return renderTemplate(value, vars, engine);
  }
  if (Array.isArray(value)) return value.map((item) => renderValue(item, vars, engine));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, vars, engine)]));
  }
  return value;
}

/** The distinct variables a value uses, in every string inside it (arrays and objects too). */
export function valueVariables(value: unknown, engine: TemplateEngine = 'simple'): string[] {
  return valueVariableUses(value, engine).map((use) => use.name);
}

/** valueVariables with whether each may be missing (Nunjucks: `x | default(...)`, `{% if x %}`). */
export function valueVariableUses(value: unknown, engine: TemplateEngine = 'simple'): VariableUse[] {
  if (typeof value === 'string' && !value.includes('{')) return [];
  const uses = new Map<string, boolean>();
  const visit = (item: unknown): void => {
    if (typeof item === 'string') {
      for (const use of templateVariableUses(item, engine)) uses.set(use.name, (uses.get(use.name) ?? true) && use.optional);
    } else if (Array.isArray(item)) item.forEach(visit);
    else if (item !== null && typeof item === 'object') Object.values(item).forEach(visit);
  };
  visit(value);
  return [...uses].map(([name, optional]) => ({ name, optional }));
}

/** Every string inside a value (arrays and objects too): what a template check looks at. */
export function valueStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(valueStrings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(valueStrings);
  return [];
}
