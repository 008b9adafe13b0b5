/**
 * A failure group's measurements -> a one-paragraph description with numbers, and a suggested fix
 * chosen from the data. Two modes:
 * - quote (training feedback): may quote short affixes found in outputs, e.g. "The answer is:".
 * - no quote (descriptive, validation feedback): only counts, labels and single tokens seen in at
 *   least two cases; nothing copied from an individual input or output.
 */
import type { ConfusionPair, FailureGroup, TokenCount } from './types.js';
import { normalizeLabel } from './labels.js';
import { fmt, percent, plural } from './text-stats.js';

export interface DescribeContext {
  /** Cases in the run, for percentages. */
  total: number;
  /** The label vocabulary of the run. */
  labels: readonly string[];
  /** False for descriptive feedback: no affixes, rare tokens or rare answered labels. */
  quote: boolean;
}

/** In descriptive mode a token or answered label must be seen in this many cases to be shown. */
export const DESCRIPTIVE_MIN_COUNT = 2;
const MAX_LISTED_LABELS = 12;
const OTHER = '(other)';

/** Tokens safe to show in this mode. */
export function visibleTokens(tokens: readonly TokenCount[], context: DescribeContext): TokenCount[] {
  return context.quote ? [...tokens] : tokens.filter((t) => t.count >= DESCRIPTIVE_MIN_COUNT);
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
    const actual = keep ? c.actual : OTHER;
    const key = `${c.expected}\u0000${actual}`;
    const pair = merged.get(key) ?? { expected: c.expected, actual, count: 0 };
    pair.count += c.count;
    merged.set(key, pair);
  }
  return [...merged.values()].sort((a, b) => b.count - a.count);
}

export function tokenList(tokens: readonly TokenCount[]): string {
  return tokens.map((t) => `${t.token} (${t.count})`).join(', ');
}

export function confusionList(pairs: readonly ConfusionPair[], limit = pairs.length): string {
  return pairs
    .slice(0, limit)
    .map((p) => `${p.expected} → ${p.actual} (${p.count})`)
    .join(', ');
}

function isPunctuation(text: string): boolean {
  return /^[\p{P}\p{S}\s]+$/u.test(text);
}

function noun(group: FailureGroup): string {
  return group.labelLike ? 'label' : 'answer';
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
    out.push(
      `${wrapped} of ${group.count} outputs contain the expected ${noun(group)} with extra words around it` +
        (around.length > 0 ? `, most often ${around.join(' and ')}.` : '.'),
    );
  }
  if (caseOnly > 0) out.push(`${caseOnly} ${caseOnly === 1 ? 'output is' : 'outputs are'} the expected ${noun(group)} in the wrong letter case.`);
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

/** One paragraph with concrete numbers. */
export function describeGroup(group: FailureGroup, context: DescribeContext): string {
  const sentences = [`${plural(group.count, 'case')} (${percent(group.count, context.total)} of ${context.total}).`];
  sentences.push(...describeWrapping(group, context));
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
  sentences.push(describeLengths(group));
  const { empty, codeFenced, textAroundJson } = group.shape;
  const shape: string[] = [];
  if (codeFenced > 0) shape.push(`${codeFenced} use code fences`);
  if (textAroundJson > 0) shape.push(`${textAroundJson} have text around the JSON`);
  if (empty > 0) shape.push(`${empty} are empty`);
  if (shape.length > 0) sentences.push(`Of these outputs, ${shape.join(', ')}.`);
  // In label groups the missing words are the expected labels, already in the confusions.
  const missing = group.labelLike ? [] : visibleTokens(group.missingTokens, context);
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
  return `. Allowed labels: ${context.labels.join(', ')}`;
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
  const named = pairs.filter((p) => p.actual !== OTHER).slice(0, 3);
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

/** The fix the data points at; at most two sentences. */
export function suggestFix(group: FailureGroup, context: DescribeContext): string {
  const fixes: (string | undefined)[] = [];
  const { wrapped, caseOnly } = group.wrapping;
  const answerInside = (wrapped + caseOnly) * 2 >= group.count && wrapped + caseOnly > 0;
  switch (group.category) {
    case 'invalid_json':
      fixes.push('Require a single JSON object with no prose or code fences');
      break;
    case 'schema_violation':
      fixes.push('List every required JSON field with its type and show one complete example object');
      fixes.push(missingAdvice(group, context, 'Fields or values often missing'));
      break;
    case 'cost_exceeded':
    case 'latency_exceeded':
      fixes.push(`Ask for shorter replies: outputs average ${fmt(group.lengths.meanOutputWords)} words`);
      break;
    case 'assertion_error':
      fixes.push(
        'An assertion raised an error instead of judging the output: check the eval (regex, custom function); ' +
          'if it expects a particular output shape, state that shape in the prompt',
      );
      break;
    case 'forbidden_content':
      fixes.push('State explicitly what the reply must not contain, and what to say instead');
      break;
    case 'rubric_failed':
      fixes.push('Make the criteria the judge applies explicit in the prompt, with one example of a passing reply');
      fixes.push(missingAdvice(group, context, 'Often missing'));
      break;
    case 'missing_content':
      fixes.push(missingAdvice(group, context, 'Require the reply to include'));
      if (answerInside) fixes.push(onlyTheAnswer(group, context));
      break;
    default:
      // format_violation, wrong_answer, too_different: follow the data.
      if (answerInside) fixes.push(onlyTheAnswer(group, context));
      if (group.labelLike) fixes.push(decisionRules(group, context));
      if (!answerInside) fixes.push(lengthAdvice(group));
      if (group.category === 'wrong_answer' && !group.labelLike) fixes.push(missingAdvice(group, context, 'Clarify how to reach the expected answer; outputs often lack'));
      if (group.category === 'too_different') fixes.push(missingAdvice(group, context, 'Follow the expected wording more closely; often missing'));
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
