/** `contains-all` / `icontains-all`: the output includes every one of the values. */
import { assertionError, failed, passed } from '../outcome.js';
import { clip, quote, quoteList } from '../text.js';
import { valueList } from '../value-list.js';
import type { AssertionHandler } from '../types.js';

function containsAllHandler(type: string, ignoreCase: boolean): AssertionHandler {
  return ({ value }, { output }) => {
    const needles = valueList(value);
    if (needles.length === 0) return assertionError(`${type} needs a list of values (or a comma-separated string)`);
    const haystack = ignoreCase ? output.toLowerCase() : output;
    const missing = needles.filter((n) => !haystack.includes(ignoreCase ? n.toLowerCase() : n));
    const details = { kind: 'text', check: 'contains', needles, missing, ignoreCase } as const;
    const shown = { expected: clip(`all of: ${needles.join(', ')}`), actual: clip(output), details };
    if (missing.length === 0) return passed(`output contains all of ${quoteList(needles)}`, shown);
    return failed(
      'missing_content',
      `output is missing ${quoteList(missing)} (found ${needles.length - missing.length} of ${needles.length}); got ${quote(output)}`,
      shown,
    );
  };
}

export const containsAll = containsAllHandler('contains-all', false);
export const icontainsAll = containsAllHandler('icontains-all', true);
