/**
 * How many cases of each stratum go to each split: a controlled rounding of the table
 * (stratum × split) of ideal sizes share × count. Each cell is the floor or the ceiling of its
 * ideal, each stratum's cells add up to its count, and each split's total is the floor or the
 * ceiling of share × all cases (the rounding always exists: Cox 1987; it is found here as a flow).
 *
 * Cases that already have a split (`kept`) never move: a cell never drops below them. After cases
 * are only added, that still gives floor/ceil cells; after removals a cell may be over its
 * ceiling, and then the stratum's new cases go where the ideal is most under-filled.
 */
import { SPLIT_NAMES, type SplitName } from '../spec/types.js';
import { unitHash } from '../util/hash.js';

export type SplitCounts = Record<SplitName, number>;

export interface StratumCounts {
  key: string;
  /** Cases of the stratum that already have a split. */
  kept: SplitCounts;
  /** Cases of the stratum still to place. */
  added: number;
}

/** One stratum during the rounding: its floor counts and the splits that may take one more. */
interface Row {
  key: string;
  base: SplitCounts;
  extras: number;
  placed: Set<SplitName>;
  /** The splits whose ideal is above their base (each may take one more), the largest remainder first. */
  candidates: SplitName[];
}

/** The total size of each split per stratum, kept cases included. */
export function apportionSplits(strata: StratumCounts[], ratios: SplitCounts, seed: number): Map<string, SplitCounts> {
  const shares = normalize(ratios);
  const rows = strata.map((stratum) => roundStratum(stratum, shares, seed));
  placeExtras(rows, shares, seed);
  const out = new Map<string, SplitCounts>();
  for (const row of rows) out.set(row.key, countsOf((s) => row.base[s] + (row.placed.has(s) ? 1 : 0)));
  return out;
}

/** share × count, with float noise removed (0.7 × 10 is 7, not 7.000000000000001). */
export function idealSize(share: number, count: number): number {
  const x = share * count;
  const nearest = Math.round(x);
  return Math.abs(x - nearest) < 1e-9 ? nearest : x;
}

function roundStratum(stratum: StratumCounts, shares: SplitCounts, seed: number): Row {
  const { key, kept, added } = stratum;
  const count = sum(kept) + added;
  const ideal = countsOf((s) => idealSize(shares[s], count));
  const fixed = (base: SplitCounts): Row => ({ key, base, extras: 0, placed: new Set(), candidates: [] });
  if (added === 0) return fixed({ ...kept });
  const base = countsOf((s) => Math.max(kept[s], Math.floor(ideal[s])));
  if (sum(base) > count) return fixed(fillDeficits(kept, added, ideal));
  const remainder = countsOf((s) => Math.max(0, ideal[s] - base[s]));
  const tieBreak = (s: SplitName) => unitHash(seed, `${key}\u0000${s}`);
  const candidates = SPLIT_NAMES.filter((s) => remainder[s] > 0).sort((a, b) => remainder[b] - remainder[a] || tieBreak(a) - tieBreak(b));
  return { key, base, extras: count - sum(base), placed: new Set(), candidates };
}

/** Kept cases over their share (after removals): the new ones go where the ideal is most under-filled. */
function fillDeficits(kept: SplitCounts, added: number, ideal: SplitCounts): SplitCounts {
  const counts = { ...kept };
  for (let i = 0; i < added; i++) {
    const most = SPLIT_NAMES.reduce((best, s) => (ideal[s] - counts[s] > ideal[best] - counts[best] ? s : best));
    counts[most]++;
  }
  return counts;
}

/**
 * Gives each stratum its extra cases (one at most per split) so that split totals land on the
 * floor, then the ceiling, of share × all cases: a max flow with the floors as capacities, then
 * the ceilings (augmenting never lowers a split's total, so the floors stay met). Kept cases can
 * make that impossible; the ceilings are then raised one case at a time until every extra is placed.
 */
function placeExtras(rows: Row[], shares: SplitCounts, seed: number): void {
  const total = rows.reduce((n, row) => n + sum(row.base) + row.extras, 0);
  const based = countsOf((s) => rows.reduce((n, row) => n + row.base[s], 0));
  const target = countsOf((s) => idealSize(shares[s], total));
  const floors = countsOf((s) => Math.max(0, Math.floor(target[s]) - based[s]));
  const ceilings = countsOf((s) => Math.max(floors[s], Math.ceil(target[s]) - based[s]));
  const open = rows
    .filter((row) => row.extras > 0)
    .map((row) => ({ row, order: unitHash(seed, row.key) }))
    .sort((a, b) => a.order - b.order || (a.row.key < b.row.key ? -1 : 1))
    .map(({ row }) => row);
  const used = countsOf(() => 0);
  const unplaced = () => open.some((row) => row.placed.size < row.extras);
  for (let over = -1; over === -1 || unplaced(); over++) {
    const capacity = over < 0 ? floors : countsOf((s) => ceilings[s] + over);
    const hasRoom = (s: SplitName) => used[s] < capacity[s];
    for (const row of open) {
      for (const s of row.candidates) {
        if (row.placed.size < row.extras && !row.placed.has(s) && hasRoom(s)) {
          row.placed.add(s);
          used[s]++;
        }
      }
    }
    for (const row of open) {
      while (row.placed.size < row.extras && augment(row, open, hasRoom, used)) {
        // each augmenting path places one more extra of this row
      }
    }
  }
}

/**
 * One augmenting path from `start`: it takes a split it has not used yet; when that split is full,
 * another stratum that holds it moves its extra to a split it has not used, and so on until a
 * split with room is reached. Breadth-first over the three splits, so paths are short.
 */
function augment(start: Row, rows: Row[], hasRoom: (s: SplitName) => boolean, used: SplitCounts): boolean {
  const cameFrom = new Map<SplitName, { row: Row; from?: SplitName }>();
  const queue: SplitName[] = [];
  for (const s of start.candidates) {
    if (!start.placed.has(s)) {
      cameFrom.set(s, { row: start });
      queue.push(s);
    }
  }
  while (queue.length > 0) {
    const s = queue.shift()!;
    if (hasRoom(s)) {
      applyPath(s, cameFrom);
      used[s]++;
      return true;
    }
    for (const row of rows) {
      if (!row.placed.has(s)) continue;
      for (const next of row.candidates) {
        if (cameFrom.has(next) || row.placed.has(next)) continue;
        cameFrom.set(next, { row, from: s });
        queue.push(next);
      }
    }
  }
  return false;
}

function applyPath(end: SplitName, cameFrom: Map<SplitName, { row: Row; from?: SplitName }>): void {
  let s: SplitName | undefined = end;
  while (s !== undefined) {
    const step: { row: Row; from?: SplitName } = cameFrom.get(s)!;
    if (step.from !== undefined) step.row.placed.delete(step.from);
    step.row.placed.add(s);
    s = step.from;
  }
}

function normalize(ratios: SplitCounts): SplitCounts {
  const total = sum(ratios);
  return countsOf((s) => (total > 0 ? ratios[s] / total : 0));
}

function countsOf(value: (split: SplitName) => number): SplitCounts {
  return { train: value('train'), validation: value('validation'), test: value('test') };
}

function sum(counts: SplitCounts): number {
  return counts.train + counts.validation + counts.test;
}
