/** Small text helpers for the simulator: words, light stemming, overlap, deterministic picks, de-duplication. */
import { unitHash } from '../util/hash.js';

export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
}

/** Light stemming: strip a trailing -ing, -ed or -s (keeping at least 3 letters). */
export function stem(word: string): string {
  if (word.length >= 6 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length >= 5 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length >= 4 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

export function stems(text: string): Set<string> {
  return new Set(words(text).map(stem));
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/** The same key always picks the same item. */
export function pickByHash<T>(key: string, items: readonly T[]): T {
  return items[Math.floor(unitHash('promptopt-sim', key) * items.length)]!;
}

/** The first of each item by `key`, in order. */
export function dedupeBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The first spelling of each string, ignoring case. */
export function dedupe(items: readonly string[]): string[] {
  return dedupeBy(items, (item) => item.toLowerCase());
}

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could do does for from has have he her his how i if in into is it its ' +
    'me my no not of on or our she so such than that the their them then there these they this those to too ' +
    'was we were what when where which who will with would you your'
  ).split(' '),
);
