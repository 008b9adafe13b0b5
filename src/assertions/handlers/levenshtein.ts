/** `levenshtein`: the trimmed output is within `threshold` edits (default 5) of the value. */
import { distance } from 'fastest-levenshtein';
import { assertionError, failed, passed } from '../outcome.js';
import { clip, quote } from '../text.js';
import { valueText } from '../value-list.js';
import type { AssertionHandler } from '../types.js';

export const DEFAULT_MAX_DISTANCE = 5;

export const levenshtein: AssertionHandler = ({ value, threshold }, { output }) => {
  const expected = valueText(value);
  if (expected === undefined) return assertionError('levenshtein needs a string value to compare with');
  const max = threshold ?? DEFAULT_MAX_DISTANCE;
  const actual = output.trim();
  const d = distance(actual, expected.trim());
  const shown = { expected: clip(expected), actual: clip(output), details: { kind: 'distance', distance: d, max } as const };
  if (d <= max) return passed(`output is within edit distance ${max} of ${quote(expected)} (distance ${d})`, shown);
  return failed('too_different', `edit distance ${d} exceeds ${max}: expected ${quote(expected)}, got ${quote(actual)}`, shown);
};
