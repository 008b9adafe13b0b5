/** `contains-any` / `icontains-any`: the output includes at least one of the values. */
import { assertionError, failed, passed } from '../outcome.js';
import { clip, quote, quoteList } from '../text.js';
import { valueList } from '../value-list.js';
import type { AssertionHandler } from '../types.js';

function containsAnyHandler(type: string, ignoreCase: boolean): AssertionHandler {
  return ({ value }, { output }) => {
    const needles = valueList(value);
    if (needles.length === 0) return assertionError(`${type} needs a list of values (or a comma-separated string)`);
    const haystack = ignoreCase ? output.toLowerCase() : output;
    const missing = needles.filter((n) => !haystack.includes(ignoreCase ? n.toLowerCase() : n));
    const hit = needles.find((n) => !missing.includes(n));
    const details = { kind: 'text', check: 'contains', needles, missing, ignoreCase } as const;
    const shown = { expected: clip(`any of: ${needles.join(', ')}`), actual: clip(output), details };
    if (hit !== undefined) return passed(`output contains ${quote(hit)}`, shown);
    return failed('missing_content', `output contains none of ${quoteList(needles)}; got ${quote(output)}`, shown);
  };
}

export const containsAny = containsAnyHandler('contains-any', false);
export const icontainsAny = containsAnyHandler('icontains-any', true);
