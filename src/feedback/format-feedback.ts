/**
 * The text blocks the meta-prompt embeds. Every formatter takes a budget in characters (estimate
 * tokens as chars / 4, see `estimateTokens`) and never returns more.
 */
import type { FailureCategory } from '../assertions/types.js';
import type { CaseResult } from '../runner/types.js';
import type { Objective } from '../spec/types.js';
import { caseFailures, expectedText, renderBrokenCase, truncate } from './case-text.js';
import {
  confusionList,
  describeGroup,
  tokenList,
  visibleConfusions,
  visibleTitle,
  visibleTokens,
  type DescribeContext,
} from './describe-group.js';
import { normalizeLabel } from './labels.js';
import { sampleFailures } from './sample-failures.js';
import { suggestFix } from './suggest-fix.js';
import { percent, plural } from './text-stats.js';
import type { FailureAnalysis, FailureGroup } from './types.js';
import { formatExample } from './vocabulary/case-block.js';
import { CONSTRAINTS_TITLE, FAILING_CASES_TITLE, GROUPS_TITLE, PATTERNS_ONLY_NOTE, PATTERNS_TITLE } from './vocabulary/markers.js';
import { formatGroupHeader } from './vocabulary/pattern-lines.js';

export interface TrainFeedbackOptions {
  budgetChars: number;
  seed: number | string;
  /** First words of the header (default "Training results"). */
  title?: string;
  /** The spec's objective, named in the header (default pass_rate). */
  objective?: Objective;
}

export interface DescriptiveFeedbackOptions {
  /** Default 8000 chars (about 2000 tokens). */
  budgetChars?: number;
  /** First words of the header (default "Validation results"). */
  title?: string;
  /** The spec's objective, named in the header (default pass_rate). */
  objective?: Objective;
}

const DEFAULT_DESCRIPTIVE_BUDGET = 8000;
/** Share of the training budget the group summaries may take; failing cases get the rest. */
const GROUPS_SHARE = 0.5;

/**
 * The line every feedback block starts with: both figures, the objective's named as such and first
 * (`Training results: 41/60 passed (pass rate 68.3%, the objective; mean score 74.0%)`;
 * `Training results: mean score 74.0% (the objective: partial credit counts); 41/60 passed (pass rate 68.3%)`).
 */
export function scoreLine(title: string, analysis: Pick<FailureAnalysis, 'passed' | 'total' | 'passRate' | 'score'>, objective: Objective = 'pass_rate'): string {
  const passRate = `pass rate ${percent(analysis.passRate, 1)}`;
  const meanScore = `mean score ${percent(analysis.score, 1)}`;
  const passed = `${analysis.passed}/${analysis.total} passed`;
  return objective === 'mean_score'
    ? `${title}: ${meanScore} (the objective: partial credit counts); ${passed} (${passRate})`
    : `${title}: ${passed} (${passRate}, the objective; ${meanScore})`;
}

function providerNote(analysis: FailureAnalysis): string | undefined {
  const n = analysis.providerErrors.count;
  if (n === 0) return undefined;
  return `(${plural(n, 'case')} failed with provider errors and ${n === 1 ? 'is' : 'are'} excluded below: not the prompt's fault.)`;
}

function tokensLine(group: FailureGroup, context: DescribeContext): string | undefined {
  const expected = visibleTokens(group.expectedTokens, context);
  const actual = visibleTokens(group.actualTokens, context);
  const parts: string[] = [];
  if (expected.length > 0) parts.push(`expected values often contain ${tokenList(expected)}`);
  if (actual.length > 0) parts.push(`outputs often contain ${tokenList(actual)}`);
  return parts.length > 0 ? `   Tokens: ${parts.join('; ')}.` : undefined;
}

function header(group: FailureGroup, index: number, context: DescribeContext): string {
  return formatGroupHeader({ index, check: visibleTitle(group, context), count: group.count, category: group.category });
}

function groupBlock(group: FailureGroup, index: number, context: DescribeContext, withExample: boolean): string {
  const description = context.quote ? group.description : describeGroup(group, context);
  const fix = context.quote ? group.suggestedFix : suggestFix(group, context);
  const lines: (string | undefined)[] = [header(group, index, context), `   Pattern: ${description}`];
  const confusions = visibleConfusions(group, context);
  if (confusions.length > 3) lines.push(`   Confusions (expected → answered): ${confusionList(confusions)}.`);
  lines.push(tokensLine(group, context));
  if (withExample) {
    const e = group.example;
    lines.push(`   ${formatExample({ id: e.caseId, vars: e.vars, ...(e.expected !== undefined ? { expected: e.expected } : {}), actual: e.actual, why: e.reason })}`);
  }
  lines.push(`   Fix: ${fix}`);
  return lines.filter((l): l is string => l !== undefined).join('\n');
}

/** Short form used when the full block does not fit. */
function groupLine(group: FailureGroup, index: number, context: DescribeContext): string {
  const fix = context.quote ? group.suggestedFix : suggestFix(group, context);
  return `${header(group, index, context)}. Fix: ${fix}`;
}

function alsoLine(groups: readonly FailureGroup[]): string {
  return `(also: ${plural(groups.length, 'more check')} failing, ${plural(groups.reduce((n, g) => n + g.count, 0), 'case')} in all)`;
}

/**
 * The groups section: full blocks while they fit, else one-liners; once neither fits, a count of the
 * groups left. Room for that count is kept at every step, so the section ends cleanly.
 */
function groupsSection(
  title: string,
  groups: readonly FailureGroup[],
  context: DescribeContext,
  withExample: boolean,
  budget: number,
): string {
  if (groups.length === 0 || title.length > budget) return '';
  let out = title;
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    const rest = groups.slice(i + 1);
    const reserve = rest.length > 0 ? alsoLine(rest).length + 1 : 0;
    const candidates = [groupBlock(group, i + 1, context, withExample), groupLine(group, i + 1, context)];
    const fit = candidates.find((c) => out.length + 1 + c.length + reserve <= budget);
    if (fit === undefined) {
      const also = `\n${alsoLine(groups.slice(i))}`;
      return out.length + also.length <= budget ? out + also : out;
    }
    out += `\n${fit}`;
  }
  return out;
}

function leftOutLine(leftOut: Partial<Record<FailureCategory, number>>, total: number, noun: string): string {
  const parts = Object.entries(leftOut)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0) || (a[0] < b[0] ? -1 : 1))
    .map(([category, n]) => `${category} ${n}`);
  return `(${total} more ${noun} not shown: ${parts.join(', ')})`;
}

/** Joins non-empty sections with blank lines; hard-cut at the budget as a last resort. */
function assemble(sections: (string | undefined)[], budget: number): string {
  return truncate(sections.filter((s): s is string => s !== undefined && s !== '').join('\n\n'), budget);
}

/**
 * Training feedback: score header, failures by check (pattern, confusions, tokens, example, fix),
 * then a seeded sample of failing cases with diffs, then what was left out.
 */
export function formatTrainFeedback(
  analysis: FailureAnalysis,
  results: readonly CaseResult[],
  options: TrainFeedbackOptions,
): string {
  const budget = Math.max(0, Math.floor(options.budgetChars));
  const head = [scoreLine(options.title ?? 'Training results', analysis, options.objective), providerNote(analysis)].filter(Boolean).join('\n');
  const context: DescribeContext = { total: analysis.total, labels: analysis.labels, quote: true };
  const failing = analysis.groups.length > 0;
  let remaining = budget - head.length - 2;
  const groups = groupsSection(
    GROUPS_TITLE,
    analysis.groups,
    context,
    true,
    Math.floor(Math.max(0, remaining) * GROUPS_SHARE),
  );
  remaining -= groups.length + 2;
  let cases: string | undefined;
  if (failing && remaining > 0) {
    const totalFailing = results.filter((r) => caseFailures(r).length > 0).length;
    const worstTrailer = leftOutLine(Object.fromEntries(analysis.groups.map((g) => [g.category, totalFailing])), totalFailing, 'failing cases');
    const title = `${FAILING_CASES_TITLE} (${totalFailing} of ${totalFailing} shown, chosen across checks):`;
    const sample = sampleFailures(results, remaining - title.length - worstTrailer.length - 2, options.seed);
    if (sample.picked.length > 0) {
      const shown = `${FAILING_CASES_TITLE} (${sample.picked.length} of ${totalFailing} shown${sample.leftOutTotal > 0 ? ', chosen across checks' : ''}):`;
      const lines = [shown, ...sample.picked.map((p) => p.text)];
      if (sample.leftOutTotal > 0) lines.push(leftOutLine(sample.leftOut, sample.leftOutTotal, 'failing cases'));
      cases = lines.join('\n');
    } else if (totalFailing > 0) {
      const note = `(${totalFailing} failing cases not shown: no room in the budget)`;
      if (note.length <= remaining) cases = note;
    }
  }
  return assemble([head, groups, cases], budget);
}

/**
 * Validation feedback: patterns only. Built from counts, check titles (a custom check's reason shape
 * only when two or more cases share it), category names, labels (expected labels and answered labels
 * seen in two or more cases), single tokens, needles and fields seen in two or more cases and fixed
 * wording; never case ids, inputs, outputs, raw reasons, examples, diffs or affixes quoted from
 * outputs. `findVerbatimLeaks` checks this.
 */
export function formatDescriptiveFeedback(analysis: FailureAnalysis, options: DescriptiveFeedbackOptions = {}): string {
  const budget = Math.max(0, Math.floor(options.budgetChars ?? DEFAULT_DESCRIPTIVE_BUDGET));
  const head = [
    `${scoreLine(options.title ?? 'Validation results', analysis, options.objective)}.`,
    PATTERNS_ONLY_NOTE,
    providerNote(analysis),
  ]
    .filter(Boolean)
    .join('\n');
  const context: DescribeContext = { total: analysis.total, labels: analysis.labels, quote: false };
  const groups = groupsSection(PATTERNS_TITLE, analysis.groups, context, false, budget - head.length - 2);
  return assemble([head, groups], budget);
}

/**
 * "Training constraints to preserve": training cases that passed before and fail with the last
 * candidate, with input, expected and what it answers now. Distinct expected values first.
 */
export function formatRegressionConstraints(brokenTrainCases: readonly CaseResult[], budgetChars: number): string {
  if (brokenTrainCases.length === 0) return '';
  const budget = Math.max(0, Math.floor(budgetChars));
  const n = brokenTrainCases.length;
  const head =
    `${CONSTRAINTS_TITLE} ${plural(n, 'training case')} passed before and ${n === 1 ? 'fails' : 'fail'} ` +
    'with the last candidate. The next prompt must get them right again.';
  const ordered = distinctFirst(brokenTrainCases);
  const trailerRoom = `\n(${n} more broken training cases not shown)`.length;
  const lines = [head];
  let used = head.length;
  let shown = 0;
  for (const result of ordered) {
    const block = renderBrokenCase(result);
    const room = budget - used - 1 - (shown + 1 < n ? trailerRoom : 0);
    if (block.length > room) continue;
    lines.push(block);
    used += block.length + 1;
    shown++;
  }
  if (shown < n) lines.push(`(${n - shown} more broken training cases not shown)`);
  return truncate(lines.join('\n'), budget);
}

/** Cases reordered so each distinct expected value comes once before any repeats (stable). */
function distinctFirst(results: readonly CaseResult[]): CaseResult[] {
  const seen = new Map<string, number>();
  return results
    .map((result, index) => {
      const key = normalizeLabel(expectedText(result) ?? '');
      const rank = seen.get(key) ?? 0;
      seen.set(key, rank + 1);
      return { result, rank, index };
    })
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((x) => x.result);
}
