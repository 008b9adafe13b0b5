/**
 * Choosing which failing cases to show when they do not all fit: a representative, seeded subset
 * that fits a character budget, instead of the first N.
 */
import type { FailureCategory } from '../assertions/types.js';
import type { CaseResult } from '../runner/types.js';
import { unitHash } from '../util/hash.js';
import { caseFailures, expectedText, primaryCategory, renderFailingCase } from './case-text.js';
import { normalizeLabel } from './labels.js';
import { CATEGORY_SEVERITY } from './severity.js';

export interface SampledFailure {
  result: CaseResult;
  /** The queue it was picked from: its most severe failure category. */
  category: FailureCategory;
  /** The rendered block (`renderFailingCase`), counted against the budget. */
  text: string;
}

export interface FailureSample {
  picked: SampledFailure[];
  /** Failing cases not shown, by primary category (only categories with some left out). */
  leftOut: Partial<Record<FailureCategory, number>>;
  leftOutTotal: number;
}

/** Stop trying to fill the budget after this many candidates in a row did not fit. */
const MAX_MISSES_IN_A_ROW = 8;

/**
 * Each failing case (provider errors excluded) joins one queue, its most severe category. Within a
 * queue, cases are shuffled by `seed` and then reordered so each distinct expected value comes once
 * before any repeats. Queues are served round-robin (largest first) while the blocks fit in
 * `budgetChars`; a block that does not fit is skipped in favour of later, smaller ones.
 * The picked blocks joined with "\n" never exceed `budgetChars`.
 */
export function sampleFailures(results: readonly CaseResult[], budgetChars: number, seed: number | string): FailureSample {
  const queues = buildQueues(results, seed);
  const order = [...queues.keys()].sort(
    (a, b) =>
      queues.get(b)!.length - queues.get(a)!.length || CATEGORY_SEVERITY[b] - CATEGORY_SEVERITY[a] || (a < b ? -1 : 1),
  );
  const cursor = new Map<FailureCategory, number>(order.map((c) => [c, 0]));
  const pickedCount = new Map<FailureCategory, number>();
  const picked: SampledFailure[] = [];
  let used = 0;
  let misses = 0;
  let active = order.filter((c) => queues.get(c)!.length > 0);
  while (active.length > 0 && misses < MAX_MISSES_IN_A_ROW) {
    for (const category of active) {
      const queue = queues.get(category)!;
      const at = cursor.get(category)!;
      cursor.set(category, at + 1);
      const result = queue[at]!;
      const text = renderFailingCase(result);
      const cost = text.length + (picked.length > 0 ? 1 : 0);
      if (used + cost <= budgetChars) {
        picked.push({ result, category, text });
        pickedCount.set(category, (pickedCount.get(category) ?? 0) + 1);
        used += cost;
        misses = 0;
      } else if (++misses >= MAX_MISSES_IN_A_ROW) {
        break;
      }
    }
    active = active.filter((c) => cursor.get(c)! < queues.get(c)!.length);
  }
  const leftOut: Partial<Record<FailureCategory, number>> = {};
  let leftOutTotal = 0;
  for (const category of order) {
    const n = queues.get(category)!.length - (pickedCount.get(category) ?? 0);
    if (n > 0) {
      leftOut[category] = n;
      leftOutTotal += n;
    }
  }
  return { picked, leftOut, leftOutTotal };
}

function buildQueues(results: readonly CaseResult[], seed: number | string): Map<FailureCategory, CaseResult[]> {
  const raw = new Map<FailureCategory, { result: CaseResult; key: string; hash: number }[]>();
  for (const result of results) {
    const category = primaryCategory(result);
    if (category === undefined) continue;
    const key = normalizeLabel(expectedText(result, caseFailures(result)) ?? '');
    const entry = { result, key, hash: unitHash(seed, result.caseId) };
    const list = raw.get(category);
    if (list) list.push(entry);
    else raw.set(category, [entry]);
  }
  const queues = new Map<FailureCategory, CaseResult[]>();
  for (const [category, list] of raw) {
    list.sort((a, b) => a.hash - b.hash || (a.result.caseId < b.result.caseId ? -1 : 1));
    const seen = new Map<string, number>();
    const ranked = list.map((entry) => {
      const rank = seen.get(entry.key) ?? 0;
      seen.set(entry.key, rank + 1);
      return { entry, rank };
    });
    ranked.sort((a, b) => a.rank - b.rank); // stable: keeps the seeded order within a rank
    queues.set(
      category,
      ranked.map((r) => r.entry.result),
    );
  }
  return queues;
}
