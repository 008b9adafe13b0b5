/** `contains` / `icontains`: the output includes the value (icontains ignores case). */
import { assertionError, failed, passed } from '../outcome.js';
import { clip, quote } from '../text.js';
import { valueText } from '../value-list.js';
import type { AssertionHandler } from '../types.js';

function containsHandler(type: string, ignoreCase: boolean): AssertionHandler {
  return ({ value }, { output }) => {
    const needle = valueText(value);
    if (needle === undefined || needle === '') {
      return assertionError(`${type} needs a non-empty string value (for a list use ${type}-any or ${type}-all)`);
    }
    const found = ignoreCase ? output.toLowerCase().includes(needle.toLowerCase()) : output.includes(needle);
    const details = { kind: 'text', check: 'contains', needles: [needle], missing: found ? [] : [needle], ignoreCase } as const;
    const shown = { expected: clip(needle), actual: clip(output), details };
    if (found) return passed(`output contains ${quote(needle)}`, shown);
    const hint = !ignoreCase && output.toLowerCase().includes(needle.toLowerCase()) ? ' (it does with different case)' : '';
    return failed('missing_content', `output does not contain ${quote(needle)}${hint}; got ${quote(output)}`, shown);
  };
}

export const contains = containsHandler('contains', false);
export const icontains = containsHandler('icontains', true);
