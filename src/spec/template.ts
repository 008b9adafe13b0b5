/**
 * `{{variable}}` templates. A variable name is letters, digits, `_`, `-` and `.` (nested lookups such as
 * `{{customer.name}}`). Non-string values render as JSON. Whitespace inside braces is allowed.
 */
const VARIABLE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/** The distinct variable names a template uses, in order of first appearance. */
export function templateVariables(template: string): string[] {
  const names = new Set<string>();
  for (const match of template.matchAll(VARIABLE)) names.add(match[1]!);
  return [...names];
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

/** Replaces each `{{name}}` with its value; an unknown name is left as written. */
export function renderTemplate(template: string, vars: Record<string, unknown>): string {
  return template.replace(VARIABLE, (whole, name: string) => {
    const value = lookupVariable(vars, name);
    return value === undefined ? whole : stringifyValue(value);
  });
}
