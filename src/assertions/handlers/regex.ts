/**
 * `regex`: the output matches the pattern (a JavaScript RegExp source, no flags, like promptfoo).
 * An anchored pattern (`^...` or `...$`) describes the output's shape, so a miss is a
 * format_violation; otherwise the required content is missing.
 */
import { assertionError, failed, passed } from '../outcome.js';
import { clip, errorMessage, quote } from '../text.js';
import type { AssertionHandler } from '../types.js';

const compiled = new Map<string, RegExp | string>();

/** The RegExp for a pattern, or the compile error message (both cached). */
export function compileRegex(pattern: string): RegExp | string {
  let entry = compiled.get(pattern);
  if (entry === undefined) {
    try {
      entry = new RegExp(pattern);
    } catch (error) {
      entry = errorMessage(error);
    }
    compiled.set(pattern, entry);
  }
  return entry;
}

export const regex: AssertionHandler = ({ value }, { output }) => {
  if (typeof value !== 'string' || value === '') return assertionError('regex needs a pattern string as its value');
  const re = compileRegex(value);
  if (typeof re === 'string') return assertionError(`invalid regex /${value}/: ${re}`);
  const match = re.exec(output);
  const details = { kind: 'text', check: 'regex', needles: [value], missing: match ? [] : [value], ignoreCase: false } as const;
  const shown = { expected: clip(`/${value}/`), actual: clip(output), details };
  if (match) return passed(`output matches /${value}/ at ${quote(match[0], 80)}`, shown);
  const anchored = value.startsWith('^') || (value.endsWith('$') && !value.endsWith('\\$'));
  return failed(anchored ? 'format_violation' : 'missing_content', `output does not match /${value}/; got ${quote(output)}`, shown);
};
