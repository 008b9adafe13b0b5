/**
 * Templating of an assertion's `value` with the case's vars and `{{expected}}`, before dispatch.
 * Strings are rendered (also inside arrays and objects); a string that is exactly one `{{name}}`
 * naming an object or array is replaced by that raw value, so `equals: "{{expected}}"` and
 * `contains-json: "{{expected}}"` can compare structured expectations.
 */
import { lookupVariable, renderTemplate, rootVariable, templateVariables } from '../spec/template.js';

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

export function renderValue(value: unknown, vars: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE_VARIABLE.exec(value);
    if (whole && Object.hasOwn(vars, whole[1]!)) {
      const raw = vars[whole[1]!];
      if (raw !== null && typeof raw === 'object') return raw;
    }
    return renderTemplate(value, vars);
  }
  if (Array.isArray(value)) return value.map((item) => renderValue(item, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderValue(item, vars)]));
  }
  return value;
}

/** The distinct `{{variables}}` a value uses, in every string inside it (arrays and objects too). */
export function valueVariables(value: unknown): string[] {
  if (typeof value === 'string' && !value.includes('{{')) return [];
  const names = new Set<string>();
  const visit = (item: unknown): void => {
    if (typeof item === 'string') for (const name of templateVariables(item)) names.add(name);
    else if (Array.isArray(item)) item.forEach(visit);
    else if (item !== null && typeof item === 'object') Object.values(item).forEach(visit);
  };
  visit(value);
  return [...names];
}
