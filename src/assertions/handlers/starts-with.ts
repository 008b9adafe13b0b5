/** `starts-with`: the output (leading whitespace ignored) begins with the value. */
import { assertionError, failed, passed } from '../outcome.js';
import { clip, quote } from '../text.js';
import { valueText } from '../value-list.js';
import type { AssertionHandler } from '../types.js';

export const startsWith: AssertionHandler = ({ value }, { output }) => {
  const prefix = valueText(value);
  if (prefix === undefined || prefix === '') return assertionError('starts-with needs a non-empty string value');
  const found = output.trimStart().startsWith(prefix);
  const details = { kind: 'text', check: 'starts-with', needles: [prefix], missing: found ? [] : [prefix], ignoreCase: false } as const;
  const shown = { expected: clip(prefix), actual: clip(output), details };
  if (found) return passed(`output starts with ${quote(prefix)}`, shown);
  return failed('format_violation', `output does not start with ${quote(prefix)}; got ${quote(output)}`, shown);
};
