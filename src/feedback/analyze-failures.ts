/**
 * Eval results -> failures grouped by the check that failed, with the facts that check yields and
 * patterns measured on the data. Pure: no I/O, no model calls. Cases whose model call failed are kept
 * apart (`providerErrors`): not the prompt's fault, so they are not described to the optimizer.
 */
import { parseAssertionType } from '../assertions/names.js';
import type { CaseFailure, CaseResult } from '../runner/types.js';
import { stringifyValue } from '../template/template.js';
import { caseFailures, failingOutput, hasProviderError, truncate, varFacts } from './case-text.js';
import { failureFact, identifyCheck, type CheckIdentity } from './check-kind.js';
import { checkFacts } from './check-facts.js';
import { describeGroup, type DescribeContext } from './describe-group.js';
import { LabelReader, findWrapping, isLabelLike, normalizeLabel } from './labels.js';
import { CATEGORY_SEVERITY } from './severity.js';
import { suggestFix } from './suggest-fix.js';
import { contentTokens, mean, median, topCounts, topTokens, wordCount } from './text-stats.js';
import type {
  AffixCount,
  ConfusionPair,
  ExcludedFailures,
  FailureAnalysis,
  FailureExample,
  FailureGroup,
  LengthStats,
  ShapeStats,
  WrappingStats,
} from './types.js';

export { CATEGORY_SEVERITY } from './severity.js';

const TOP_TOKENS = 5;
const TOP_CONFUSIONS = 10;
const TOP_AFFIXES = 3;
const EXAMPLE_TEXT_CHARS = 200;

/** One failing case as seen from one check. */
export interface Entry {
  result: CaseResult;
  /** This check's failures in this case. */
  failures: CaseFailure[];
  /**
   * What the output was compared to: the check's expected text for equals/levenshtein, else the
   * case's expected value (shown in examples, never compared as text).
   */
  expected: string | undefined;
  actual: string;
  /** Label read from the output (label groups only). */
  label?: string;
  wrapping?: ReturnType<typeof findWrapping>;
}

export function analyzeFailures(results: readonly CaseResult[]): FailureAnalysis {
  // A case no assertion checked says nothing about the prompt: in no count (it has no failures either).
  const checked = results.filter((r) => !r.unchecked);
  const total = checked.length;
  const passed = checked.filter((r) => r.pass).length;
  const reader = new LabelReader(collectLabels(results));
  const buckets = new Map<string, { check: CheckIdentity; entries: Entry[] }>();
  for (const result of results) {
    const failures = caseFailures(result);
    if (failures.length === 0) continue;
    const actual = failingOutput(result);
    const byCheck = new Map<string, { check: CheckIdentity; failures: CaseFailure[] }>();
    for (const failure of failures) {
      const check = identifyCheck(failure);
      const own = byCheck.get(check.key) ?? { check, failures: [] };
      own.failures.push(failure);
      byCheck.set(check.key, own);
    }
    for (const { check, failures: own } of byCheck.values()) {
      const entry: Entry = { result, failures: own, expected: comparedTo(check, own, result), actual };
      const bucket = buckets.get(check.key) ?? { check, entries: [] };
      bucket.entries.push(entry);
      buckets.set(check.key, bucket);
    }
  }
  const context: DescribeContext = { total, labels: reader.labels, quote: true };
  const groups = [...buckets.values()]
    .map(({ check, entries }) => buildGroup(check, entries, reader, context))
    .sort(
      (a, b) =>
        b.count - a.count ||
        CATEGORY_SEVERITY[b.category] - CATEGORY_SEVERITY[a.category] ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
  return {
    total,
    passed,
    failed: total - passed,
    passRate: mean(checked.map((r) => r.passRate)) ?? 0,
    score: mean(checked.map((r) => r.score)) ?? 0,
    groups,
    providerErrors: excluded(results),
    labels: reader.labels,
  };
}

/** The text an exact check compared the output to; the case's expected value for other checks. */
function comparedTo(check: CheckIdentity, failures: readonly CaseFailure[], result: CaseResult): string | undefined {
  if (check.family === 'exact') {
    const own = failures.find((f) => f.expected !== undefined && f.expected !== '')?.expected;
    if (own !== undefined) return own;
  }
  const fromCase = stringifyValue(result.expected);
  return fromCase === '' ? undefined : fromCase;
}

function isEquals(type: string): boolean {
  const { negate, base } = parseAssertionType(type);
  return base === 'equals' && !negate;
}

/** The label vocabulary: the short expected values of `equals` checks, passing ones included. */
function collectLabels(results: readonly CaseResult[]): string[] {
  const labels = new Set<string>();
  for (const result of results) {
    for (const sample of result.samples) {
      for (const a of sample.assertions) if (isEquals(a.type) && isLabelLike(a.expected)) labels.add(a.expected.trim());
    }
    for (const f of result.failures) if (isEquals(f.type) && isLabelLike(f.expected)) labels.add(f.expected.trim());
  }
  return [...labels].sort();
}

function excluded(results: readonly CaseResult[]): ExcludedFailures {
  const errored = results.filter(hasProviderError);
  const codes: Record<string, number> = {};
  for (const r of errored) {
    const code = r.providerError?.code ?? r.samples.find((s) => s.providerError)?.providerError?.code ?? 'unknown';
    codes[code] = (codes[code] ?? 0) + 1;
  }
  return { count: errored.length, caseIds: errored.map((r) => r.caseId), codes };
}

function buildGroup(check: CheckIdentity, entries: Entry[], reader: LabelReader, context: DescribeContext): FailureGroup {
  const exact = check.family === 'exact';
  const compared = exact ? entries.filter((e): e is Entry & { expected: string } => e.expected !== undefined) : [];
  const labelLike = exact && isEquals(check.type) && compared.length > 0 && compared.every((e) => isLabelLike(e.expected));
  const expectedTokenLists = compared.map((e) => contentTokens(e.expected));
  const missing = compared.map((e, i) => {
    const present = new Set(contentTokens(e.actual));
    return expectedTokenLists[i]!.filter((t) => !present.has(t));
  });
  for (const e of compared) e.wrapping = findWrapping(e.expected, e.actual);

  let correctLabel = 0;
  const pairs = new Map<string, ConfusionPair>();
  if (labelLike) {
    for (const e of compared) {
      const expected = reader.lookup(e.expected) ?? e.expected.trim();
      e.label = reader.extract(e.actual);
      if (normalizeLabel(e.label) === normalizeLabel(expected)) {
        correctLabel++;
        continue;
      }
      const key = `${expected}\u0000${e.label}`;
      const pair = pairs.get(key) ?? { expected, actual: e.label, count: 0 };
      pair.count++;
      pairs.set(key, pair);
    }
  }
  const confusions = [...pairs.values()]
    .sort((a, b) => b.count - a.count || cmp(a.expected, b.expected) || cmp(a.actual, b.actual))
    .slice(0, TOP_CONFUSIONS);
  const wrapping = wrappingStats(compared);

  const partial = {
    key: check.key,
    title: check.title,
    type: check.type,
    ...(check.metric !== undefined ? { metric: check.metric } : {}),
    family: labelLike ? ('label' as const) : check.family,
    category: check.category,
    count: entries.length,
    caseIds: entries.map((e) => e.result.caseId),
    labelLike,
    expectedTokens: topTokens(expectedTokenLists, TOP_TOKENS),
    actualTokens: exact ? topTokens(entries.map((e) => contentTokens(e.actual)), TOP_TOKENS) : [],
    missingTokens: topTokens(missing, TOP_TOKENS),
    lengths: lengthStats(entries, exact),
    confusions,
    correctLabel,
    wrapping,
    shape: shapeStats(entries),
    facts: checkFacts(check, entries),
    example: toExample(pickExample(entries, confusions, wrapping)),
  };
  const group: FailureGroup = { ...partial, description: '', suggestedFix: '' };
  group.description = describeGroup(group, context);
  group.suggestedFix = suggestFix(group, context);
  return group;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Output lengths; the expected side only where the output is compared to a text (`exact`). */
function lengthStats(entries: readonly Entry[], exact: boolean): LengthStats {
  const outChars = entries.map((e) => e.actual.length);
  const outWords = entries.map((e) => wordCount(e.actual));
  const withExpected = exact ? entries.filter((e) => e.expected !== undefined) : [];
  const expChars = withExpected.map((e) => e.expected!.length);
  const expWords = withExpected.map((e) => wordCount(e.expected!));
  const extra = withExpected.map((e) => wordCount(e.actual) - wordCount(e.expected!));
  return {
    meanOutputChars: mean(outChars) ?? 0,
    medianOutputChars: median(outChars) ?? 0,
    meanOutputWords: mean(outWords) ?? 0,
    medianOutputWords: median(outWords) ?? 0,
    meanExpectedChars: mean(expChars),
    medianExpectedChars: median(expChars),
    meanExpectedWords: mean(expWords),
    medianExpectedWords: median(expWords),
    meanExtraWords: mean(extra),
  };
}

function wrappingStats(entries: readonly Entry[]): WrappingStats {
  const prefixes = new Map<string, number>();
  const suffixes = new Map<string, number>();
  let wrapped = 0;
  let caseOnly = 0;
  let caseMismatch = 0;
  for (const { wrapping: w } of entries) {
    if (!w) continue;
    if (w.wrapped) wrapped++;
    if (w.caseOnly) caseOnly++;
    if (w.caseMismatch) caseMismatch++;
    if (w.prefix !== '') prefixes.set(w.prefix, (prefixes.get(w.prefix) ?? 0) + 1);
    if (w.suffix !== '') suffixes.set(w.suffix, (suffixes.get(w.suffix) ?? 0) + 1);
  }
  const affixes = (counts: Map<string, number>): AffixCount[] =>
    topCounts(counts, TOP_AFFIXES).map(([text, count]) => ({ text, count, words: wordCount(text) }));
  return { wrapped, caseOnly, caseMismatch, prefixes: affixes(prefixes), suffixes: affixes(suffixes) };
}

function shapeStats(entries: readonly Entry[]): ShapeStats {
  let empty = 0;
  let codeFenced = 0;
  let textAroundJson = 0;
  for (const { actual } of entries) {
    const text = actual.trim();
    if (text === '') empty++;
    if (text.includes('```')) codeFenced++;
    const start = text.search(/[{[]/u);
    const end = Math.max(text.lastIndexOf('}'), text.lastIndexOf(']'));
    if (start >= 0 && end > start && (start > 0 || end < text.length - 1)) textAroundJson++;
  }
  return { empty, codeFenced, textAroundJson };
}

/** The case showing the group's main pattern: top confusion, else top prefix, else the shortest. */
function pickExample(entries: Entry[], confusions: ConfusionPair[], wrapping: WrappingStats): Entry {
  const top = confusions[0];
  if (top) {
    const hit = entries.find((e) => e.label === top.actual && e.expected !== undefined && normalizeLabel(e.expected) === normalizeLabel(top.expected));
    if (hit) return hit;
  }
  const prefix = wrapping.prefixes[0]?.text;
  if (prefix !== undefined) {
    const hit = entries.find((e) => e.wrapping?.prefix === prefix);
    if (hit) return hit;
  }
  const size = (e: Entry): number => e.actual.length + (e.expected?.length ?? 0) + JSON.stringify(e.result.vars).length;
  return entries.reduce((best, e) => (size(e) < size(best) ? e : best));
}

function toExample(entry: Entry): FailureExample {
  const why = [...new Set(entry.failures.map(failureFact))].join('; ');
  return {
    caseId: entry.result.caseId,
    vars: varFacts(entry.result.vars, EXAMPLE_TEXT_CHARS),
    ...(entry.expected !== undefined ? { expected: truncate(entry.expected, EXAMPLE_TEXT_CHARS) } : {}),
    actual: truncate(entry.actual, EXAMPLE_TEXT_CHARS),
    reason: truncate(why, EXAMPLE_TEXT_CHARS),
  };
}
