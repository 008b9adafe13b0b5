/** Constructors for handler outcomes, so every failure carries a category and a reason. */
import type { AssertionOutcome, FailureCategory } from './types.js';

type Extra = Pick<AssertionOutcome, 'expected' | 'actual' | 'judgeCostUsd' | 'details'> & { score?: number };

/** A pass. `reason` states the fact that held (`output contains "refund"`): negation builds on it. */
export function passed(reason: string, extra: Extra = {}): AssertionOutcome {
  const { score = 1, ...rest } = extra;
  return { pass: true, score, reason, ...rest };
}

export function failed(category: FailureCategory, reason: string, extra: Extra = {}): AssertionOutcome {
  const { score = 0, ...rest } = extra;
  return { pass: false, score, reason, category, ...rest };
}

/** The assertion itself could not be evaluated (bad regex, missing file, no judge...). */
export function assertionError(reason: string, extra: Omit<Extra, 'score'> = {}): AssertionOutcome {
  return failed('assertion_error', reason, { ...extra, score: 0 });
}

/** Clamps a score into 0..1 (NaN becomes 0). */
export function clampScore(score: number): number {
  if (!Number.isFinite(score)) return score === Infinity ? 1 : 0;
  return Math.min(1, Math.max(0, score));
}

/** A numeric limit from `threshold`, else from `value` (number or numeric string). */
export function numericLimit(threshold: number | undefined, value: unknown): number | undefined {
  if (typeof threshold === 'number' && Number.isFinite(threshold)) return threshold;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}
