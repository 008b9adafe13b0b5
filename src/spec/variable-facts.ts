/**
 * What the template-variable rules say about a variable a case does not provide: which part of a
 * nested name (`{{customer.nmae}}`, `{{input.txt}}`) is missing, and in what.
 */
import { didYouMean } from './did-you-mean.js';
import { lookupVariable, rootVariable } from '../template/template.js';

const MAX_FIELDS_SHOWN = 8;

/** True when the name reads a value from `vars` (top-level or nested). */
export function providesVariable(vars: Record<string, unknown>, name: string): boolean {
  return lookupVariable(vars, name) !== undefined;
}

/**
 * For a nested name whose top-level var exists but whose path does not: where the path breaks, e.g.
 * `"input" is a string, with no field "txt"` or `"customer" has no field "nmae" (did you mean "name"?)`.
 * Undefined when the top-level var itself is missing (or the name is not nested).
 */
export function brokenPath(vars: Record<string, unknown>, name: string): string | undefined {
  const parts = name.split('.');
  if (parts.length < 2 || !Object.hasOwn(vars, rootVariable(name))) return undefined;
  let value: unknown = vars[parts[0]!];
  for (let i = 1; i < parts.length; i++) {
    const reached = parts.slice(0, i).join('.');
    const part = parts[i]!;
    if (value === null || typeof value !== 'object') {
      return `"${reached}" is ${describeType(value)}, with no field "${part}"`;
    }
    if (!Object.hasOwn(value, part)) {
      const fields = Object.keys(value);
      const suggestion = didYouMean(part, fields);
      const shown = fields.length > MAX_FIELDS_SHOWN ? `${fields.slice(0, MAX_FIELDS_SHOWN).join(', ')}, ...` : fields.join(', ');
      const has = fields.length === 0 ? 'no fields' : `fields: ${shown}`;
      return `"${reached}" has no field "${part}" (${suggestion ? `did you mean "${[reached, suggestion].join('.')}"? ` : ''}it has ${has})`;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return undefined;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}
