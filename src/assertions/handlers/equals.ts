/**
 * `equals`: the trimmed output is exactly the value. An object/array value compares the output parsed
 * as JSON, deeply (key order ignored). A miss that is the right answer in the wrong shape ("The answer
 * is: Positive." for "positive") is a format_violation; anything else is a wrong_answer.
 */
import { canonicalJson } from '../../util/hash.js';
import { extractJsonValues, tryParseJson } from '../extract-json.js';
import { jsonDiff, jsonDiffFacts } from '../json-diff.js';
import { optionLetter, readChoice } from '../read-choice.js';
import { failed, passed } from '../outcome.js';
import { clip, escapeRegExp, looseText, quote, showJson } from '../text.js';
import type { AssertionHandler, AssertionOutcome } from '../types.js';

/** Whole-word patterns by needle: compiling a Unicode-class pattern costs more than matching it. */
const wordPatterns = new Map<string, RegExp>();
const MAX_WORD_PATTERNS = 1_000;

/** True when `expected` appears in `output` as a whole word or phrase, ignoring case. */
function occursIn(output: string, expected: string): boolean {
  const needle = looseText(expected);
  if (needle === '') return false;
  let pattern = wordPatterns.get(needle);
  if (!pattern) {
    if (wordPatterns.size >= MAX_WORD_PATTERNS) wordPatterns.clear();
    pattern = new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(needle)}($|[^\\p{L}\\p{N}])`, 'u');
    wordPatterns.set(needle, pattern);
  }
  return pattern.test(output.toLowerCase().replace(/\s+/g, ' '));
}

function equalsStructured(expected: object, output: string): AssertionOutcome {
  const want = canonicalJson(expected);
  const shown = { expected: clip(want), actual: clip(output) };
  const parsed = tryParseJson(output.trim());
  if (parsed.ok) {
    if (canonicalJson(parsed.value) === want) return passed(`output equals ${showJson(expected)}`, shown);
    const diff = jsonDiff(expected, parsed.value).join('; ');
    return failed('wrong_answer', `expected JSON ${showJson(expected)}, got ${showJson(parsed.value)}: ${diff}`, {
      ...shown,
      details: { kind: 'json_diff', diffs: jsonDiffFacts(expected, parsed.value) },
    });
  }
  if (extractJsonValues(output).some((value) => canonicalJson(value) === want)) {
    return failed(
      'format_violation',
      `output holds the expected JSON ${showJson(expected)} inside other text; expected only the JSON, got ${quote(output)}`,
      shown,
    );
  }
  return failed('invalid_json', `expected JSON ${showJson(expected)}, got non-JSON output ${quote(output)}`, shown);
}

/**
 * A multiple-choice answer ("(A)"): the reply's final choice decides whether it is the right answer in
 * the wrong shape or a wrong answer; an option it merely mentions on the way does not.
 */
function equalsOption(expected: string, letter: string, actual: string, shown: { expected: string; actual: string }): AssertionOutcome {
  const chosen = readChoice(actual);
  if (chosen === letter) {
    return failed('format_violation', `expected exactly ${quote(expected)}, got ${quote(actual)} (right option, wrong shape)`, shown);
  }
  const read = chosen === undefined ? 'no option could be read' : `the option read is (${chosen})`;
  return failed('wrong_answer', `expected ${quote(expected)}, got ${quote(actual)} (${read})`, shown);
}

export const equals: AssertionHandler = (assertion, { output }) => {
  const { value } = assertion;
  if (value !== null && typeof value === 'object') return equalsStructured(value, output);
  const expected = value === undefined || value === null ? '' : String(value);
  const actual = output.trim();
  const shown = { expected: clip(expected), actual: clip(output) };
  if (actual === expected.trim()) return passed(`output equals ${quote(expected.trim())}`, shown);
  const option = optionLetter(expected);
  if (option !== undefined) return equalsOption(expected.trim(), option, actual, shown);
  const sameLoosely = looseText(actual) === looseText(expected) && looseText(expected) !== '';
  if (sameLoosely || occursIn(actual, expected)) {
    return failed('format_violation', `expected exactly ${quote(expected.trim())}, got ${quote(actual)} (right answer, wrong shape)`, shown);
  }
  return failed('wrong_answer', `expected ${quote(expected.trim())}, got ${quote(actual)}`, shown);
};
