/** The values of a list-taking assertion (`contains-any`, `contains-all`). */
import { stringifyValue } from '../template/template.js';

/**
 * A list value as strings. A string is split on commas like promptfoo does; a double-quoted item
 * may hold commas (`"a, b", c` -> `a, b` and `c`). Blank items are dropped.
 */
export function valueList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((item) => stringifyValue(item)).filter((item) => item !== '');
  if (value === undefined || value === null) return [];
  if (typeof value !== 'string') return [stringifyValue(value)];
  const items: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  items.push(current);
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** The single string a `contains`-style assertion looks for, or undefined when the value is not one. */
export function valueText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
