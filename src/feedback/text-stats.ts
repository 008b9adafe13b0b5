/** Small text measurements for failure analysis: tokens, word counts, averages. No domain logic. */
import type { TokenCount } from './types.js';

const STOPWORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have having he her ' +
    'here hers him his how i if in into is it its itself just me more most my no nor not of off on once only ' +
    'or other our ours out over own same she should so some such than that the their theirs them then there ' +
    'these they this those through to too under until up very was we were what when where which while who ' +
    'whom why will with would you your yours yourself s t don didn doesn isn wasn aren also about after again ' +
    'against all any because before below between both down during each few further above am let may might ' +
    'must shall us via yes ok'
  ).split(' '),
);

const TOKEN = /[\p{L}\p{N}][\p{L}\p{N}_'-]*/gu;

/** Lowercased content words: stopwords, one-character tokens and bare numbers removed. */
export function contentTokens(text: string): string[] {
  const out: string[] = [];
  for (const match of text.toLowerCase().matchAll(TOKEN)) {
    const token = match[0].replace(/['-]+$/u, '');
    if (token.length < 2 || STOPWORDS.has(token) || /^\d+$/u.test(token)) continue;
    out.push(token);
  }
  return out;
}

export function wordCount(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/u).length;
}

/** Counts each token once per text; returns the top `limit`, count desc then token asc. */
export function topTokens(texts: Iterable<readonly string[]>, limit: number, minCount = 1): TokenCount[] {
  const counts = new Map<string, number>();
  for (const tokens of texts) {
    for (const token of new Set(tokens)) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return topCounts(counts, limit, minCount).map(([token, count]) => ({ token, count }));
}

/** Map entries sorted by count desc, then key asc (deterministic), first `limit`. */
export function topCounts(counts: Map<string, number>, limit: number, minCount = 1): [string, number][] {
  return [...counts]
    .filter(([, n]) => n >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, limit);
}

export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `3`, `3.5`, `-1.3`: at most one decimal, no trailing `.0`. */
export function fmt(n: number): string {
  const rounded = Math.round(n * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '0.0%' : `${((100 * part) / whole).toFixed(1)}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
