/**
 * Eval results -> failures grouped by category, with patterns measured on the data. Pure: no I/O,
 * no model calls. Cases whose model call failed are kept apart (`providerErrors`): not the prompt's
 * fault, so they are not described to the optimizer.
 */
import type { FailureCategory } from '../assertions/types.js';
import type { CaseFailure, CaseResult } from '../runner/types.js';
import { stringifyValue } from '../spec/template.js';
import {
  caseCategories,
  caseFailures,
  compactVars,
  expectedText,
  failingOutput,
  hasProviderError,
  truncate,
} from './case-text.js';
import { describeGroup, suggestFix, type DescribeContext } from './describe-group.js';
import { LabelReader, findWrapping, isLabelLike, normalizeLabel } from './labels.js';
import { CATEGORY_SEVERITY } from './severity.js';
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

/** One failing case as seen from one category. */
interface Entry {
  result: CaseResult;
  failures: CaseFailure[];
  expected: string | undefined;
  actual: string;
  /** Label read from the output (label groups only). */
  label?: string;
  wrapping?: ReturnType<typeof findWrapping>;
}

export function analyzeFailures(results: readonly CaseResult[]): FailureAnalysis {
  const total = results.length;
  const passed = results.filter((r) => r.pass).length;
  const reader = new LabelReader(collectLabels(results));
  const buckets = new Map<FailureCategory, Entry[]>();
  for (const result of results) {
    const failures = caseFailures(result);
    const actual = failures.length > 0 ? failingOutput(result) : '';
    for (const category of caseCategories(result)) {
      const own = failures.filter((f) => f.category === category);
      const entry: Entry = { result, failures: own, expected: expectedText(result, own), actual };
      const bucket = buckets.get(category);
      if (bucket) bucket.push(entry);
      else buckets.set(category, [entry]);
    }
  }
  const context: DescribeContext = { total, labels: reader.labels, quote: true };
  const groups = [...buckets]
    .map(([category, entries]) => buildGroup(category, entries, reader, context))
    .sort(
      (a, b) =>
        b.count - a.count ||
        CATEGORY_SEVERITY[b.category] - CATEGORY_SEVERITY[a.category] ||
        (a.category < b.category ? -1 : 1),
    );
  return {
    total,
    passed,
    failed: total - passed,
    passRate: total === 0 ? 0 : passed / total,
    score: mean(results.map((r) => r.score)) ?? 0,
    groups,
    providerErrors: excluded(results),
    labels: reader.labels,
  };
}

/**
 * The label vocabulary: short expected values of all cases (passing ones too), plus the expected side
 * of failed `equals` assertions (other assertions' values, such as a `contains` needle, are not labels).
 */
function collectLabels(results: readonly CaseResult[]): string[] {
  const labels = new Set<string>();
  for (const result of results) {
    const value = stringifyValue(result.expected);
    if (isLabelLike(value)) labels.add(value.trim());
    for (const f of result.failures) if (f.type === 'equals' && isLabelLike(f.expected)) labels.add(f.expected.trim());
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

function buildGroup(
  category: FailureCategory,
  entries: Entry[],
  reader: LabelReader,
  context: DescribeContext,
): FailureGroup {
  const withExpected = entries.filter((e): e is Entry & { expected: string } => e.expected !== undefined);
  const labelLike = withExpected.length > 0 && withExpected.every((e) => isLabelLike(e.expected));
  const expectedTokenLists = withExpected.map((e) => contentTokens(e.expected));
  const missing = withExpected.map((e, i) => {
    const present = new Set(contentTokens(e.actual));
    return expectedTokenLists[i]!.filter((t) => !present.has(t));
  });
  for (const e of withExpected) e.wrapping = findWrapping(e.expected, e.actual);

  let correctLabel = 0;
  const pairs = new Map<string, ConfusionPair>();
  if (labelLike) {
    for (const e of withExpected) {
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
  const wrapping = wrappingStats(withExpected);

  const partial = {
    category,
    count: entries.length,
    caseIds: entries.map((e) => e.result.caseId),
    labelLike,
    expectedTokens: topTokens(expectedTokenLists, TOP_TOKENS),
    actualTokens: topTokens(
      entries.map((e) => contentTokens(e.actual)),
      TOP_TOKENS,
    ),
    missingTokens: topTokens(missing, TOP_TOKENS),
    lengths: lengthStats(entries),
    confusions,
    correctLabel,
    wrapping,
    shape: shapeStats(entries),
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

function lengthStats(entries: readonly Entry[]): LengthStats {
  const outChars = entries.map((e) => e.actual.length);
  const outWords = entries.map((e) => wordCount(e.actual));
  const withExpected = entries.filter((e) => e.expected !== undefined);
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
  const size = (e: Entry): number => e.actual.length + (e.expected?.length ?? 0) + compactVars(e.result.vars).length;
  return entries.reduce((best, e) => (size(e) < size(best) ? e : best));
}

function toExample(entry: Entry): FailureExample {
  const reason = [...new Set(entry.failures.map((f) => f.reason))].join('; ');
  return {
    caseId: entry.result.caseId,
    vars: compactVars(entry.result.vars, EXAMPLE_TEXT_CHARS),
    ...(entry.expected !== undefined ? { expected: truncate(entry.expected, EXAMPLE_TEXT_CHARS) } : {}),
    actual: truncate(entry.actual, EXAMPLE_TEXT_CHARS),
    reason: truncate(reason, EXAMPLE_TEXT_CHARS),
  };
}
