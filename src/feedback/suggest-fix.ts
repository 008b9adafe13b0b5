/**
 * The fix a failure group's facts point at, chosen by the kind of check that failed: "reply with the
 * label only", decision rules and length advice only for `equals` against short labels or exact
 * texts; the text or pattern to require (or forbid) for text checks; fields for JSON checks; what a
 * custom check reports; the judge's criteria. At most two sentences.
 */
import { parseCheckTitle } from './vocabulary/check-title.js';
import { OTHER_ANSWER, formatAllowedLabels } from './vocabulary/pattern-lines.js';
import {
  baseType,
  isPunctuation,
  noun,
  visibleConfusions,
  visibleCounts,
  visibleTitle,
  visibleTokens,
  words,
  type DescribeContext,
} from './describe-group.js';
import { fmt, plural } from './text-stats.js';
import type { FailureGroup, TokenCount } from './types.js';

const MAX_LISTED_LABELS = 12;

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
