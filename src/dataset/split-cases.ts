/**
 * Seeded, stratified train/validation/test assignment. Within each stratum (a case's short
 * `expected` label) every split gets the floor or the ceiling of its share of the stratum, and
 * split totals land within one case of share × all cases. Cases already assigned (`recorded`,
 * from the splits file) keep their split: only new cases are placed, balancing each stratum.
 * An explicit `split:` on a case wins and is left out of the balancing.
 */
import { SPLIT_NAMES, type SplitCase, type SplitConfig, type SplitName, type TestCase } from '../spec/types.js';
import { unitHash } from '../util/hash.js';
import { apportionSplits, type SplitCounts } from './apportion-splits.js';

const MAX_LABEL_LENGTH = 64;
const ALL_STRATUM = '*';

/** Case id -> split. */
export type SplitAssignment = Record<string, SplitName>;

export interface SplitPlan {
  /** The cases, in their order, each with its split. */
  cases: SplitCase[];
  /** `recorded` plus the cases placed now (ids no longer among the cases stay, so a case that returns keeps its split). */
  assignment: SplitAssignment;
  /** Ids placed now (not in `recorded`). */
  added: string[];
}

/** The cases with their splits, computed afresh (no recorded assignment). */
export function splitCases(cases: TestCase[], config: SplitConfig): SplitCase[] {
  return planSplits(cases, config).cases;
}

/** One deterministic function of (recorded assignment, cases, config): every command computes the same splits. */
export function planSplits(cases: TestCase[], config: SplitConfig, recorded: Readonly<SplitAssignment> = {}): SplitPlan {
  const strata = new Map<string, { kept: SplitCounts; added: TestCase[] }>();
  const splitOf = new Map<string, SplitName>();
  for (const testCase of cases) {
    if (testCase.split !== undefined) continue;
    const key = stratumOf(testCase.expected, config.stratify);
    const stratum = strata.get(key) ?? { kept: { train: 0, validation: 0, test: 0 }, added: [] };
    strata.set(key, stratum);
    const known = Object.hasOwn(recorded, testCase.id) ? recorded[testCase.id] : undefined;
    if (known !== undefined) {
      stratum.kept[known]++;
      splitOf.set(testCase.id, known);
    } else stratum.added.push(testCase);
  }

  const sizes = apportionSplits(
    [...strata].map(([key, s]) => ({ key, kept: s.kept, added: s.added.length })),
    { train: config.train, validation: config.validation, test: config.test },
    config.seed,
  );
  const added: string[] = [];
  for (const [key, stratum] of strata) {
    const size = sizes.get(key)!;
    const shuffled = stratum.added.map((c) => ({ id: c.id, u: unitHash(`${config.seed}:${key}`, c.id) })).sort((a, b) => a.u - b.u || (a.id < b.id ? -1 : 1));
    let next = 0;
    for (const split of SPLIT_NAMES) {
      for (let i = stratum.kept[split]; i < size[split]; i++) {
        const id = shuffled[next++]!.id;
        splitOf.set(id, split);
        added.push(id);
      }
    }
  }

  const assignment: SplitAssignment = Object.assign(Object.create(null) as SplitAssignment, recorded);
  for (const id of added) assignment[id] = splitOf.get(id)!;
  return {
    // Object.assign rather than `{ ...testCase, split }`: past a few thousand objects V8 gave each
    // spread copy a hidden class of its own (100k cases: 200k hidden classes, ~30 MB).
    cases: cases.map((testCase) => Object.assign({}, testCase, { split: testCase.split ?? splitOf.get(testCase.id)! })),
    assignment,
    added: added.sort(),
  };
}

/** The label a case is stratified by: a short string/number/boolean `expected`, else one shared stratum. */
export function stratumOf(expected: unknown, stratify: boolean): string {
  if (!stratify) return ALL_STRATUM;
  if (typeof expected !== 'string' && typeof expected !== 'number' && typeof expected !== 'boolean') return ALL_STRATUM;
  const label = String(expected);
  return label.length <= MAX_LABEL_LENGTH ? label : ALL_STRATUM;
}
