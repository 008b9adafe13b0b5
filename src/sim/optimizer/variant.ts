/**
 * How the direction of a request shapes the candidate, so the N candidates of one iteration differ:
 * which failure category to attack first, how many rules to add, whether to make only the smallest
 * edit, and where in the list of shown failures to start (a rotation keyed by the direction).
 */
import { parseFocus } from '../../feedback/vocabulary/index.js';
import { unitHash } from '../../util/hash.js';

export interface Variant {
  /** Failure category whose cases are handled first (the category of the check the direction names). */
  focus?: string;
  /** Rules this candidate may add. */
  budget: number;
  /** Make only the single most useful change (a format fix when one is needed). */
  smallest: boolean;
  /** Remove rules that fire on failing cases. */
  prune: boolean;
  /** 0..1: where to start in the list of failing cases. */
  rotation: number;
}

export function readVariant(direction: string): Variant {
  const focus = parseFocus(direction)?.category;
  const rotation = unitHash('promptopt-sim-optimizer-direction', direction);
  const base = { focus, smallest: false, prune: false, rotation };
  if (focus) return { ...base, budget: 6 };
  if (/smallest edit/i.test(direction)) return { ...base, budget: 3, smallest: true };
  if (/decision rules|rule-based|sharpen decision rules/i.test(direction)) return { ...base, budget: 10 };
  if (/output[- ]format|format instructions/i.test(direction)) return { ...base, budget: 4 };
  if (/concise|remove instructions/i.test(direction)) return { ...base, budget: 5, prune: true };
  if (/examples/i.test(direction)) return { ...base, budget: 5 };
  if (/crossover/i.test(direction)) return { ...base, budget: 2 };
  return { ...base, budget: 6 };
}

/** `items` in a stable order starting at `rotation` (0..1), with `first` items moved ahead. */
export function rotate<T>(items: readonly T[], rotation: number, first: (item: T) => boolean = () => false): T[] {
  if (items.length === 0) return [];
  const start = Math.floor(rotation * items.length) % items.length;
  const rotated = [...items.slice(start), ...items.slice(0, start)];
  return [...rotated.filter(first), ...rotated.filter((item) => !first(item))];
}
