/** The redaction report: occurrences by placeholder type, never the values. */
import type { RedactionCounts } from './types.js';

/** `EMAIL 3, PHONE 2` (types by count, then name), or `nothing`. */
export function formatRedactionCounts(counts: RedactionCounts): string {
  const entries = sortedCounts(counts);
  return entries.length === 0 ? 'nothing' : entries.map(([stem, n]) => `${stem} ${n}`).join(', ');
}

export function sortedCounts(counts: RedactionCounts): [string, number][] {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
