/**
 * A failure group's facts -> a one-paragraph description with numbers, and a suggested fix chosen
 * from the data and from the kind of check that failed (check-kind.ts): label advice (confusions,
 * answer only, length) only for `equals` against short labels, length and wording advice only where
 * the output is compared to an exact text, the missing text or pattern for text checks, schema errors
 * and fields for JSON checks, what a custom check or the judge said for those. Two modes:
 * - quote (training feedback): may quote short affixes and the reasons checks gave.
 * - no quote (descriptive, validation feedback): only counts, labels, check titles and tokens, needles
 *   or fields seen in at least two cases; nothing copied from an individual input or output.
 */
import { parseAssertionType } from '../assertions/names.js';
import { schemaErrorText } from './check-kind.js';
import { formatCheckTitle, parseCheckTitle } from './vocabulary/check-title.js';
import { normalizeLabel } from './labels.js';
import { fmt, percent, plural } from './text-stats.js';
import type { ConfusionPair, FailureGroup, TokenCount } from './types.js';
import {
  OTHER_ANSWER,
  formatAllowedLabels,
  formatCaseOnly,
  formatConfusions,
  formatShape,
  formatWrapped,
  type AnswerNoun,
} from './vocabulary/pattern-lines.js';

export interface DescribeContext {
  /** Cases in the run, for percentages. */
  total: number;
  /** The label vocabulary of the run. */
  labels: readonly string[];
  /** False for descriptive feedback: no affixes, reasons, rare tokens, needles or answered labels. */
  quote: boolean;
}

/** In descriptive mode a token, needle, field or answered label must be seen in this many cases to be shown. */
export const DESCRIPTIVE_MIN_COUNT = 2;
const MAX_LISTED_LABELS = 12;

/** Counted items safe to show in this mode. */
export function visibleCounts<T extends { count: number }>(items: readonly T[], context: DescribeContext): T[] {
  return context.quote ? [...items] : items.filter((t) => t.count >= DESCRIPTIVE_MIN_COUNT);
}

/** Tokens safe to show in this mode. */
export function visibleTokens(tokens: readonly TokenCount[], context: DescribeContext): TokenCount[] {
  return visibleCounts(tokens, context);
}

/**
 * Confusions safe to show in this mode. Descriptive mode keeps vocabulary labels and answered labels
 * seen in at least two cases; any other answer is folded into "(other)".
 */
export function visibleConfusions(group: FailureGroup, context: DescribeContext): ConfusionPair[] {
  if (context.quote) return group.confusions;
  const vocabulary = new Set(context.labels.map(normalizeLabel));
  const answered = new Map<string, number>();
  for (const c of group.confusions) answered.set(c.actual, (answered.get(c.actual) ?? 0) + c.count);
  const merged = new Map<string, ConfusionPair>();
  for (const c of group.confusions) {
    const keep = vocabulary.has(normalizeLabel(c.actual)) || (answered.get(c.actual) ?? 0) >= DESCRIPTIVE_MIN_COUNT;
    const actual = keep ? c.actual : OTHER_ANSWER;
    const key = `${c.expected}\u0000${actual}`;
    const pair = merged.get(key) ?? { expected: c.expected, actual, count: 0 };
    pair.count += c.count;
    merged.set(key, pair);
  }
  return [...merged.values()].sort((a, b) => b.count - a.count);
}

export function tokenList(tokens: readonly { token: string; count: number }[]): string {
  return tokens.map((t) => `${t.token} (${t.count})`).join(', ');
}

export function confusionList(pairs: readonly ConfusionPair[], limit = pairs.length): string {
  return formatConfusions(pairs.slice(0, limit));
}

function isPunctuation(text: string): boolean {
  return /^[\p{P}\p{S}\s]+$/u.test(text);
}

function noun(group: FailureGroup): AnswerNoun {
  return group.labelLike ? 'label' : 'answer';
}

/** Label and exact checks compare the output to a text: only there do length and format advice fit. */
function comparesText(group: FailureGroup): boolean {
  return group.family === 'label' || group.family === 'exact';
}

function baseType(group: FailureGroup): string {
  return parseAssertionType(group.type).base ?? group.type;
}

function describeWrapping(group: FailureGroup, context: DescribeContext): string[] {
  const { wrapped, caseOnly, caseMismatch, prefixes, suffixes } = group.wrapping;
  const out: string[] = [];
  if (wrapped > 0) {
    const around: string[] = [];
    const prefix = prefixes[0];
    const suffix = suffixes[0];
    if (prefix) {
      around.push(
        context.quote
          ? `the prefix "${prefix.text}" (${prefix.count})`
          : `a ${prefix.words}-word lead-in before it (${prefix.count})`,
      );
    }
    if (suffix) {
      around.push(
        context.quote
          ? `the suffix "${suffix.text}" (${suffix.count})`
          : isPunctuation(suffix.text)
            ? `trailing punctuation (${suffix.count})`
            : `${suffix.words} trailing ${suffix.words === 1 ? 'word' : 'words'} (${suffix.count})`,
      );
    }
    out.push(`${formatWrapped(wrapped, group.count, noun(group))}${around.length > 0 ? `, most often ${around.join(' and ')}.` : '.'}`);
  }
  if (caseOnly > 0) out.push(`${formatCaseOnly(caseOnly, noun(group))}.`);
  else if (caseMismatch > 0) out.push(`${caseMismatch} of them ${caseMismatch === 1 ? 'has' : 'have'} it in the wrong letter case.`);
  return out;
}

function words(n: number): string {
  return `${fmt(n)} ${fmt(n) === '1' ? 'word' : 'words'}`;
}

function describeLengths(group: FailureGroup): string {
  const l = group.lengths;
  const extra = l.meanExtraWords ?? 0;
  if (group.labelLike && l.meanExpectedWords !== null && Math.abs(extra) < 0.5) {
    return `Outputs are as long as the expected labels (${words(l.meanOutputWords)} on average).`;
  }
  const outputs = `Outputs average ${words(l.meanOutputWords)} / ${fmt(l.meanOutputChars)} chars (median ${fmt(l.medianOutputChars)} chars)`;
  if (l.meanExpectedWords === null || l.meanExpectedChars === null || l.medianExpectedChars === null) return `${outputs}.`;
  const sign = extra > 0 ? '+' : '';
  return (
    `${outputs} vs ${words(l.meanExpectedWords)} / ${fmt(l.meanExpectedChars)} chars ` +
    `(median ${fmt(l.medianExpectedChars)} chars) expected: ${sign}${words(extra)} on average.`
  );
}

function needleList(group: FailureGroup, context: DescribeContext): string | undefined {
  const shown = visibleCounts(group.facts.needles, context);
  if (shown.length === 0) return undefined;
  const hidden = group.facts.needles.length - shown.length;
  return `${shown.map((n) => `${n.text} (${n.count})`).join(', ')}${hidden > 0 ? `, and ${plural(hidden, 'other text')}` : ''}`;
}

function describeText(group: FailureGroup, context: DescribeContext): string[] {
  const needles = needleList(group, context);
  if (needles === undefined) return [];
  if (group.facts.forbidden) return [`Outputs contain text they must not: ${needles}.`];
  const base = baseType(group);
  if (base === 'regex') return [`Outputs do not match the required pattern: ${needles}.`];
  if (base === 'starts-with') return [`Outputs do not start with: ${needles}.`];
  return [`Required text missing from outputs: ${needles}.`];
}

function fieldSentences(group: FailureGroup, context: DescribeContext): string[] {
  const { missingFields, unexpectedFields, wrongFields } = group.facts;
  const out: string[] = [];
  const missing = visibleCounts(missingFields, context);
  const unexpected = visibleCounts(unexpectedFields, context);
  const wrong = visibleCounts(wrongFields, context);
  if (missing.length > 0) out.push(`Required fields missing: ${tokenList(missing)}.`);
  if (unexpected.length > 0) out.push(`Fields the schema does not allow: ${tokenList(unexpected)}.`);
  if (wrong.length > 0) out.push(`Fields with a wrong value or type: ${tokenList(wrong)}.`);
  return out;
}

function describeJson(group: FailureGroup, context: DescribeContext): string[] {
  const out: string[] = [];
  const errors = group.facts.schemaErrors.filter((e) => e.field === undefined || context.quote || e.count >= DESCRIPTIVE_MIN_COUNT);
  if (errors.length > 0) {
    out.push(`Schema errors (path keyword field): ${errors.map((e) => `${schemaErrorText(e)} (${e.count})`).join(', ')}.`);
  }
  out.push(...fieldSentences(group, context));
  return out;
}

function describeSaid(group: FailureGroup, context: DescribeContext): string[] {
  const out: string[] = [];
  const who = group.family === 'judge' ? 'judge' : 'check';
  if (group.facts.meanScore !== null) out.push(`Mean ${who} score ${group.facts.meanScore.toFixed(2)}.`);
  if (context.quote && group.facts.reasons.length > 0) {
    out.push(`The ${who} said: ${group.facts.reasons.map((r) => `${JSON.stringify(r.text)} (${r.count})`).join(', ')}.`);
  }
  return out;
}

/** Shape counts matter where JSON is expected. */
function describesShape(group: FailureGroup): boolean {
  return group.family === 'json' || group.category === 'invalid_json' || group.category === 'schema_violation';
}

/** One paragraph with concrete numbers. */
export function describeGroup(group: FailureGroup, context: DescribeContext): string {
  const sentences = [`${plural(group.count, 'case')} (${percent(group.count, context.total)} of ${context.total}).`];
  if (comparesText(group)) sentences.push(...describeWrapping(group, context));
  if (group.labelLike) {
    sentences.push(`The label read from the output is the expected one in ${group.correctLabel} of ${group.count}.`);
    const confusions = visibleConfusions(group, context);
    if (confusions.length > 0) {
      const expected = new Set(confusions.map((c) => c.expected)).size;
      const answered = new Set(confusions.map((c) => c.actual)).size;
      sentences.push(
        `${plural(expected, 'expected label')} confused with ${plural(answered, 'answered label')}: ${confusionList(confusions, 3)}.`,
      );
    }
  }
  if (comparesText(group)) sentences.push(describeLengths(group));
  if (group.facts.distance) {
    sentences.push(`Mean edit distance ${fmt(group.facts.distance.mean)}, at most ${group.facts.distance.max} allowed.`);
  }
  if (group.family === 'text') sentences.push(...describeText(group, context));
  if (group.family === 'json') sentences.push(...describeJson(group, context));
  if (group.family === 'function' || group.family === 'judge') sentences.push(...describeSaid(group, context));
  if (group.family === 'limit') sentences.push(`Outputs average ${words(group.lengths.meanOutputWords)} / ${fmt(group.lengths.meanOutputChars)} chars.`);
  if (describesShape(group)) {
    const shape = formatShape(group.shape);
    if (shape) sentences.push(shape);
  }
  // In label groups the missing words are the expected labels, already in the confusions.
  const missing = group.family === 'exact' ? visibleTokens(group.missingTokens, context) : [];
  if (missing.length > 0) sentences.push(`Expected words most often missing from outputs: ${tokenList(missing)}.`);
  return sentences.join(' ');
}

function caseAdvice(group: FailureGroup, context: DescribeContext): string {
  const expected = group.confusions.length > 0 || group.labelLike ? context.labels : [];
  const letters = expected.join('');
  if (letters !== '' && letters === letters.toLowerCase()) return '; lowercase';
  if (letters !== '' && letters === letters.toUpperCase()) return '; uppercase';
  return `; use the exact letter case of the expected ${noun(group)}`;
}

function allowedLabels(group: FailureGroup, context: DescribeContext): string {
  if (!group.labelLike || context.labels.length === 0 || context.labels.length > MAX_LISTED_LABELS) return '';
  return `. ${formatAllowedLabels(context.labels)}`;
}

function onlyTheAnswer(group: FailureGroup, context: DescribeContext): string {
  const { wrapped, caseMismatch, prefixes, suffixes } = group.wrapping;
  let fix = `State that the reply must be only the ${noun(group)}`;
  if (wrapped > 0) {
    const prefix = prefixes[0];
    fix += context.quote && prefix ? `, with no extra words such as "${prefix.text}"` : ', with no extra words before or after it';
    const suffix = suffixes[0];
    if (suffix && isPunctuation(suffix.text)) fix += ' and no trailing punctuation';
  }
  if (caseMismatch > 0) fix += caseAdvice(group, context);
  return fix + allowedLabels(group, context);
}

function decisionRules(group: FailureGroup, context: DescribeContext): string | undefined {
  const pairs = visibleConfusions(group, context);
  const named = pairs.filter((p) => p.actual !== OTHER_ANSWER).slice(0, 3);
  if (named.length === 0) {
    return pairs.length > 0 ? `Require exactly one of the allowed labels, with nothing else${allowedLabels(group, context)}` : undefined;
  }
  const rules = named.map((p) => `${p.expected} from ${p.actual} (${plural(p.count, 'case')})`).join('; ');
  return `Add decision rules distinguishing ${rules}`;
}

function lengthAdvice(group: FailureGroup): string | undefined {
  const { meanExtraWords, meanExpectedWords, meanOutputWords } = group.lengths;
  if (meanExtraWords === null || meanExpectedWords === null) return undefined;
  if (meanExtraWords > 2) {
    return `Keep replies close to the expected length: about ${words(meanExpectedWords)} (outputs average ${fmt(meanOutputWords)})`;
  }
  if (meanExtraWords < -2) {
    return `Replies are too short: aim for about ${words(meanExpectedWords)} (outputs average ${fmt(meanOutputWords)})`;
  }
  return undefined;
}

function missingAdvice(group: FailureGroup, context: DescribeContext, lead: string): string | undefined {
  const missing = visibleTokens(group.missingTokens, context).map((t) => t.token);
  return missing.length > 0 ? `${lead}: ${missing.join(', ')}` : undefined;
}

function textFix(group: FailureGroup, context: DescribeContext): string {
  const needles = visibleCounts(group.facts.needles, context).map((n) => n.text);
  const named = needles.length > 0 ? ` ${needles.slice(0, 3).join(', ')}` : '';
  if (group.facts.forbidden) return `State explicitly that the reply must not contain${named || ' the forbidden text'}, and what to write instead`;
  const base = baseType(group);
  if (base === 'regex') {
    return `Require replies to match${named || ' the required pattern'}: say exactly where and in which form that text must appear (for example the line that carries the final answer)`;
  }
  if (base === 'starts-with') return `Require the reply to start with${named || ' the required text'}`;
  return `Require the reply to include${named || ' the required text'}`;
}

function jsonFixes(group: FailureGroup, context: DescribeContext): (string | undefined)[] {
  if (group.category === 'invalid_json') return ['Require a single JSON object with no prose or code fences'];
  const names = (fields: readonly TokenCount[]) => visibleCounts(fields, context).map((f) => f.token).join(', ');
  const missing = names(group.facts.missingFields);
  const unexpected = names(group.facts.unexpectedFields);
  const wrong = names(group.facts.wrongFields);
  const fieldFix =
    unexpected !== ''
      ? `Name the only allowed fields; outputs add ${unexpected}`
      : missing !== ''
        ? `Require the fields ${missing}`
        : wrong !== ''
          ? `Explain how to fill ${wrong}: outputs give them a wrong value or type`
          : undefined;
  if (group.category === 'schema_violation') return ['List every required JSON field with its type and show one complete example object', fieldFix];
  return [fieldFix];
}

/**
 * The group's title as this mode may show it: descriptive feedback drops a custom check's reason
 * shape seen in a single case (it may still carry that case's words).
 */
export function visibleTitle(group: FailureGroup, context: DescribeContext): string {
  if (context.quote || group.count >= DESCRIPTIVE_MIN_COUNT) return group.title;
  const title = parseCheckTitle(group.title);
  return title ? formatCheckTitle({ type: title.type, metric: title.metric }) : group.title;
}

function functionFix(group: FailureGroup, context: DescribeContext): string {
  const said = parseCheckTitle(visibleTitle(group, context))?.said;
  if (said !== undefined) {
    return `Make the prompt prevent what the check reports (${JSON.stringify(said)} in ${plural(group.count, 'case')}): state that requirement explicitly`;
  }
  if (parseCheckTitle(group.title)?.said !== undefined) return 'Make the prompt state the requirement this custom check tests';
  return 'A custom check failed these cases without giving a reason: state in the prompt the requirement it tests (see the failing cases)';
}

/** The fix the data points at; at most two sentences. */
export function suggestFix(group: FailureGroup, context: DescribeContext): string {
  const fixes: (string | undefined)[] = [];
  const { wrapped, caseOnly } = group.wrapping;
  const answerInside = (wrapped + caseOnly) * 2 >= group.count && wrapped + caseOnly > 0;
  switch (group.family) {
    case 'label':
    case 'exact':
      if (answerInside) fixes.push(onlyTheAnswer(group, context));
      if (group.labelLike) fixes.push(decisionRules(group, context));
      if (!answerInside) fixes.push(lengthAdvice(group));
      if (group.category === 'too_different') fixes.push(missingAdvice(group, context, 'Follow the expected wording more closely; often missing'));
      else if (group.category === 'wrong_answer' && !group.labelLike) fixes.push(missingAdvice(group, context, 'Clarify how to reach the expected answer; outputs often lack'));
      break;
    case 'text':
      fixes.push(textFix(group, context));
      break;
    case 'json':
      fixes.push(...jsonFixes(group, context));
      break;
    case 'function':
      if (group.category === 'invalid_json') fixes.push('Require a single JSON object with no prose or code fences');
      fixes.push(functionFix(group, context));
      break;
    case 'judge':
      fixes.push('Make the criteria the judge applies explicit in the prompt, with one example of a passing reply');
      break;
    case 'limit':
      fixes.push(`Ask for shorter replies: outputs average ${fmt(group.lengths.meanOutputWords)} words`);
      break;
    case 'error':
      fixes.push(
        'An assertion raised an error instead of judging the output: check the eval (regex, custom function); ' +
          'if it expects a particular output shape, state that shape in the prompt',
      );
      break;
    case 'other':
      break;
  }
  const chosen = fixes.filter((f): f is string => f !== undefined).slice(0, 2);
  if (chosen.length === 0) {
    chosen.push(
      group.labelLike
        ? `Require exactly one of the allowed labels, with nothing else${allowedLabels(group, context)}`
        : 'State the exact output format and show one correct reply',
    );
  }
  return `${chosen.join('. ')}.`;
}
