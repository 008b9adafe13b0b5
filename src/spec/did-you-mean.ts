/** "did you mean" suggestions for misspelled keys, enum values and names. */
import { closest, distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `word` when it is close enough to be a likely typo: edit distance at most
 * 2 or a third of the word's length, and smaller than either word (so "ab" never suggests "id").
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const best = closestCandidate(word, candidates);
  if (best === undefined) return undefined;
  const d = distance(word.toLowerCase(), best.toLowerCase());
  if (d === 0) return best === word ? undefined : best;
  const limit = Math.max(2, Math.floor(word.length / 3));
  return d <= limit && d < word.length && d < best.length ? best : undefined;
}

/**
 * A stricter test for keys that are otherwise accepted (extra columns in a data file become vars):
 * only a near-certain typo counts, so `tags` is a var while `expectd` is a mistake for `expected`.
 */
export function likelyTypoOf(word: string, candidates: readonly string[]): string | undefined {
  const best = closestCandidate(word, candidates);
  if (best === undefined || best === word) return undefined;
  const limit = best.length >= 7 ? 2 : best.length >= 4 ? 1 : 0;
  return distance(word.toLowerCase(), best.toLowerCase()) <= limit ? best : undefined;
}

/** `message` plus ` (did you mean "x"?)` when there is a suggestion. */
export function withSuggestion(message: string, suggestion: string | undefined): string {
  return suggestion === undefined ? message : `${message} (did you mean "${suggestion}"?)`;
}

function closestCandidate(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const lowered = candidates.map((c) => c.toLowerCase());
  const best = closest(word.toLowerCase(), lowered);
  return candidates[lowered.indexOf(best)];
}
