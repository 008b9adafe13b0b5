/**
 * A failure group's facts -> a one-paragraph description with numbers, chosen by the kind of check
 * that failed (check-kind.ts): label confusions only for `equals` against short labels, lengths only
 * where the output is compared to an exact text, the missing text or pattern for text checks, schema
 * errors and fields for JSON checks, what a custom check or the judge said for those (the fix it
 * points at is in suggest-fix.ts). Two modes:
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

/**
 * The group's title as this mode may show it: descriptive feedback drops a custom check's reason
 * shape seen in a single case (it may still carry that case's words).
 */
export function visibleTitle(group: FailureGroup, context: DescribeContext): string {
  if (context.quote || group.count >= DESCRIPTIVE_MIN_COUNT) return group.title;
  const title = parseCheckTitle(group.title);
  return title ? formatCheckTitle({ type: title.type, metric: title.metric }) : group.title;
}

export function isPunctuation(text: string): boolean {
  return /^[\p{P}\p{S}\s]+$/u.test(text);
}

export function noun(group: FailureGroup): AnswerNoun {
  return group.labelLike ? 'label' : 'answer';
}

/** Label and exact checks compare the output to a text: only there do length and format advice fit. */
function comparesText(group: FailureGroup): boolean {
  return group.family === 'label' || group.family === 'exact';
}

export function baseType(group: FailureGroup): string {
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

export function words(n: number): string {
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
