/**
 * Choosing which failing cases to show when they do not all fit: a representative, seeded subset
 * that fits a character budget, instead of the first N.
 */
import type { FailureCategory } from '../assertions/types.js';
import type { CaseFailure, CaseResult } from '../runner/types.js';
import { unitHash } from '../util/hash.js';
import { caseFailures, expectedText, primaryCategory, renderFailingCase } from './case-text.js';
import { identifyCheck } from './check-kind.js';
import { normalizeLabel } from './labels.js';
import { CATEGORY_SEVERITY } from './severity.js';

export interface SampledFailure {
  result: CaseResult;
  /** The category of its most severe failure (the queue it was picked from is that failure's check). */
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
 * Each failing case (provider errors excluded) joins one queue: the check of its most severe failure
 * (assertion type + metric + category, see check-kind.ts), so each kind of failure gets examples.
 * Within a queue, cases are shuffled by `seed` and then reordered so each distinct expected value
 * comes once before any repeats. Queues are served round-robin (largest first) while the blocks fit
 * in `budgetChars`; a block that does not fit is skipped in favour of later, smaller ones. The picked
 * blocks joined with "\n" never exceed `budgetChars`. What is left out is counted by category.
 */
export function sampleFailures(results: readonly CaseResult[], budgetChars: number, seed: number | string): FailureSample {
  const queues = buildQueues(results, seed);
  const order = [...queues.keys()].sort((a, b) => {
    const qa = queues.get(a)!;
    const qb = queues.get(b)!;
    return qb.cases.length - qa.cases.length || CATEGORY_SEVERITY[qb.category] - CATEGORY_SEVERITY[qa.category] || (a < b ? -1 : 1);
  });
  const cursor = new Map<string, number>(order.map((k) => [k, 0]));
  const pickedCount = new Map<string, number>();
  const picked: SampledFailure[] = [];
  let used = 0;
  let misses = 0;
  let active = order.filter((k) => queues.get(k)!.cases.length > 0);
  while (active.length > 0 && misses < MAX_MISSES_IN_A_ROW) {
    for (const key of active) {
      const queue = queues.get(key)!;
      const at = cursor.get(key)!;
      cursor.set(key, at + 1);
      const result = queue.cases[at]!;
      const text = renderFailingCase(result);
      const cost = text.length + (picked.length > 0 ? 1 : 0);
      if (used + cost <= budgetChars) {
        picked.push({ result, category: queue.category, text });
        pickedCount.set(key, (pickedCount.get(key) ?? 0) + 1);
        used += cost;
        misses = 0;
      } else if (++misses >= MAX_MISSES_IN_A_ROW) {
        break;
      }
    }
    active = active.filter((k) => cursor.get(k)! < queues.get(k)!.cases.length);
  }
  const leftOut: Partial<Record<FailureCategory, number>> = {};
  let leftOutTotal = 0;
  for (const key of order) {
    const queue = queues.get(key)!;
    const n = queue.cases.length - (pickedCount.get(key) ?? 0);
    if (n > 0) {
      leftOut[queue.category] = (leftOut[queue.category] ?? 0) + n;
      leftOutTotal += n;
    }
  }
  return { picked, leftOut, leftOutTotal };
}

interface Queue {
  category: FailureCategory;
  cases: CaseResult[];
}

/** The failure a case is queued by: its most severe one (the first of those on ties). */
function primaryFailure(result: CaseResult): CaseFailure | undefined {
  const failures = caseFailures(result);
  const category = primaryCategory(result);
  return failures.find((f) => f.category === category);
}

function buildQueues(results: readonly CaseResult[], seed: number | string): Map<string, Queue> {
  const raw = new Map<string, { category: FailureCategory; list: { result: CaseResult; key: string; hash: number }[] }>();
  for (const result of results) {
    const failure = primaryFailure(result);
    if (failure === undefined) continue;
    const queueKey = identifyCheck(failure).key;
    const key = normalizeLabel(expectedText(result, caseFailures(result)) ?? '');
    const entry = { result, key, hash: unitHash(seed, result.caseId) };
    const queue = raw.get(queueKey);
    if (queue) queue.list.push(entry);
    else raw.set(queueKey, { category: failure.category, list: [entry] });
  }
  const queues = new Map<string, Queue>();
  for (const [queueKey, { category, list }] of raw) {
    list.sort((a, b) => a.hash - b.hash || (a.result.caseId < b.result.caseId ? -1 : 1));
    const seen = new Map<string, number>();
    const ranked = list.map((entry) => {
      const rank = seen.get(entry.key) ?? 0;
      seen.set(entry.key, rank + 1);
      return { entry, rank };
    });
    ranked.sort((a, b) => a.rank - b.rank); // stable: keeps the seeded order within a rank
    queues.set(queueKey, { category, cases: ranked.map((r) => r.entry.result) });
  }
  return queues;
}
