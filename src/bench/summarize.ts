/**
 * A task's results, as the tables show them: one row per strategy (and one for the starting prompt)
 * with the held-out test score over seeds, what the runs spent, and the share of runs that ended not
 * worse than the start; then a paired verdict for each strategy against the start and for each pair
 * of strategies (two-level bootstrap: seeds, then cases within each), and the mean trajectories.
 */
import { twoLevelBootstrap } from '../stats/two-level-bootstrap.js';
import type { Interval } from '../stats/wilson.js';
import { meanTrajectories, type MeanTrajectory } from './trajectory.js';
import type { BenchSettings, BenchTask, RunRecord, StartRecord } from './types.js';

export const START_ROW = 'start';

export interface ScoreStats {
  mean: number;
  /** 95% interval of the mean: two-level bootstrap over the runs, then their cases. */
  interval?: Interval;
  /** Sample standard deviation over the runs (undefined with one run). */
  sd?: number;
  median: number;
}

export interface StrategyRow {
  /** A strategy, or `start` (the starting prompt). */
  strategy: string;
  runs: number;
  test: ScoreStats;
  validation?: number;
  /** Share of runs whose test score is not below the starting prompt's. */
  notWorse?: number;
  iterations?: number;
  /** Per run, charged by the budget (cache hits as if paid), mean. */
  targetCalls: number;
  optimizerCalls: number;
  /** Per run, outside the budget: the held-out test and the reports' re-scoring, mean. */
  measurementCalls: number;
  /** Requests the provider received for this row, all its runs together (retries included; cache hits none). */
  serverRequests: number;
  /** Per run, mean: tokens and USD charged (cache hits at what they cost), measurement excluded. */
  tokens: number;
  costUsd: number;
  costKnown: boolean;
  wallMs: number;
  /** Test points gained over the start per USD charged (undefined when nothing was charged, e.g. the simulator). */
  gainPerUsd?: number;
  /** Test points gained per 1,000 target calls charged. */
  gainPerKiloCalls?: number;
  stopReasons: Record<string, number>;
  /** Runs the budget stopped before their test, scored by the bench. */
  testScoredByBench: number;
}

export type Verdict = 'better' | 'worse' | 'no_significant_difference' | 'too_few_runs';

export interface PairVerdict {
  /** `a` compared with `b`: the difference is a − b. */
  a: string;
  b: string;
  seeds: number;
  cases: number;
  /** Mean test score difference, a − b (0..1 scale). */
  meanDifference: number;
  interval: Interval;
  pValue: number;
  /** Standardized effect: the mean difference over the SD of the per-seed differences (undefined when they do not vary). */
  standardized?: number;
  verdict: Verdict;
  /** One plain sentence. */
  text: string;
}

export interface TaskSummary {
  task: BenchTask;
  status: 'ran' | 'needs_real_model';
  start?: StartRecord;
  rows: StrategyRow[];
  pairs: PairVerdict[];
  trajectory?: MeanTrajectory;
  runs: RunRecord[];
}

/** With fewer paired seeds no verdict: run-to-run variance cannot be estimated from one run. */
export const MIN_SEEDS_FOR_VERDICT = 2;

export function summarizeTask(task: BenchTask, start: StartRecord, runs: readonly RunRecord[], settings: BenchSettings): TaskSummary {
  const byStrategy = new Map(settings.strategies.map((s) => [s, runs.filter((r) => r.strategy === s).sort((a, b) => a.seed - b.seed)]));
  const caseIds = Object.keys(start.testCases).sort();
  const vector = (cases: Record<string, number>) => caseIds.map((id) => cases[id] ?? 0);
  const withInterval = (row: StrategyRow, vectors: number[][]): StrategyRow =>
    vectors.length === 0 ? row : { ...row, test: { ...row.test, interval: twoLevelBootstrap(vectors.map((v) => v.map(() => 0)), vectors, { seed: 0 }).interval } };
  const rows = [
    withInterval(startRow(start), [vector(start.testCases)]),
    ...[...byStrategy.entries()].map(([strategy, list]) => withInterval(strategyRow(strategy, list, start), list.map((r) => vector(r.testCases)))),
  ];
  const pairs: PairVerdict[] = [];
  for (const [strategy, list] of byStrategy) {
    pairs.push(compare(strategy, START_ROW, list.map((r) => vector(r.testCases)), list.map(() => vector(start.testCases)), settings.alpha));
  }
  const names = [...byStrategy.keys()];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = byStrategy.get(names[i]!)!;
      const b = new Map(byStrategy.get(names[j]!)!.map((r) => [r.seed, r]));
      const paired = a.filter((r) => b.has(r.seed)); // paired by seed
      pairs.push(compare(names[i]!, names[j]!, paired.map((r) => vector(r.testCases)), paired.map((r) => vector(b.get(r.seed)!.testCases)), settings.alpha));
    }
  }
  const axis = task.budget.maxUsd !== undefined && !task.simulated.target ? 'usd' : 'calls';
  const trajectory = meanTrajectories(byStrategy, start.scores.validation ?? start.scores.train, axis);
  return { task, status: 'ran', start, rows, pairs, trajectory, runs: [...runs] };
}

function startRow(start: StartRecord): StrategyRow {
  const tokens = sumRoles(start.usage.charged, (t) => t.inputTokens + t.outputTokens);
  return {
    strategy: START_ROW,
    runs: 1,
    test: { mean: start.scores.test, median: start.scores.test },
    ...(start.scores.validation !== undefined ? { validation: start.scores.validation } : {}),
    targetCalls: start.usage.charged.target.calls,
    optimizerCalls: 0,
    measurementCalls: start.usage.measurement.target.calls + start.usage.measurement.judge.calls,
    serverRequests: sumRoles({ ...start.usage.sent }, (n) => n),
    tokens,
    costUsd: sumRoles(start.usage.charged, (t) => t.costUsd),
    costKnown: sumRoles(start.usage.charged, (t) => t.unknownCostCalls) === 0,
    wallMs: start.wallMs,
    stopReasons: {},
    testScoredByBench: 0,
  };
}

function strategyRow(strategy: string, runs: readonly RunRecord[], start: StartRecord): StrategyRow {
  const mean = (pick: (r: RunRecord) => number) => (runs.length === 0 ? 0 : runs.reduce((s, r) => s + pick(r), 0) / runs.length);
  const tests = runs.map((r) => r.scores.test);
  const costUsd = mean((r) => sumRoles(r.usage.charged, (t) => t.costUsd));
  const targetCalls = mean((r) => r.usage.charged.target.calls);
  const gain = stats(tests).mean - start.scores.test;
  const validations = runs.map((r) => r.scores.validation).filter((v): v is number => v !== undefined);
  const stopReasons: Record<string, number> = {};
  for (const run of runs) stopReasons[run.stopReason] = (stopReasons[run.stopReason] ?? 0) + 1;
  return {
    strategy,
    runs: runs.length,
    test: stats(tests),
    ...(validations.length > 0 ? { validation: validations.reduce((a, b) => a + b, 0) / validations.length } : {}),
    notWorse: runs.length === 0 ? 0 : runs.filter((r) => r.scores.test >= start.scores.test - 1e-9).length / runs.length,
    iterations: mean((r) => r.iterations),
    targetCalls,
    optimizerCalls: mean((r) => r.usage.charged.optimizer.calls),
    measurementCalls: mean((r) => r.usage.measurement.target.calls + r.usage.measurement.judge.calls),
    serverRequests: runs.reduce((s, r) => s + sumRoles({ ...r.usage.sent }, (n) => n), 0),
    tokens: mean((r) => sumRoles(r.usage.charged, (t) => t.inputTokens + t.outputTokens)),
    costUsd,
    costKnown: runs.every((r) => sumRoles(r.usage.charged, (t) => t.unknownCostCalls) === 0),
    wallMs: mean((r) => r.wallMs),
    ...(costUsd > 0 ? { gainPerUsd: (gain * 100) / costUsd } : {}),
    ...(targetCalls > 0 ? { gainPerKiloCalls: (gain * 100) / (targetCalls / 1000) } : {}),
    stopReasons,
    testScoredByBench: runs.filter((r) => r.testScoredBy === 'bench').length,
  };
}

/** Mean, sample SD and median of test scores. */
export function stats(values: readonly number[]): ScoreStats {
  if (values.length === 0) return { mean: 0, median: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  if (values.length < 2) return { mean, median };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, sd: Math.sqrt(variance), median };
}

/** The paired verdict of `a` against `b` (rows are runs paired by seed; columns the same test cases). */
export function compare(a: string, b: string, aRuns: number[][], bRuns: number[][], alpha: number): PairVerdict {
  const result = twoLevelBootstrap(bRuns, aRuns, { seed: 0 });
  const diffs = result.seedDifferences;
  const sd = stats(diffs).sd;
  const base = {
    a,
    b,
    seeds: result.seeds,
    cases: result.cases,
    meanDifference: result.meanDifference,
    interval: result.interval,
    pValue: result.pValue,
    ...(sd !== undefined && sd > 0 ? { standardized: result.meanDifference / sd } : {}),
  };
  const points = (v: number) => `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)}`;
  const figures = `${points(result.meanDifference)} pts, 95% CI [${points(result.interval.lower)}, ${points(result.interval.upper)}], p = ${formatP(result.pValue)}`;
  if (result.seeds < MIN_SEEDS_FOR_VERDICT) {
    return { ...base, verdict: 'too_few_runs', text: `too few runs to tell (${result.seeds} paired seed${result.seeds === 1 ? '' : 's'}; run --runs 2 or more)` };
  }
  if (result.pValue < alpha) {
    const verdict = result.meanDifference > 0 ? 'better' : 'worse';
    return { ...base, verdict, text: `${a} is ${verdict} than ${b} on test (${figures})` };
  }
  return { ...base, verdict: 'no_significant_difference', text: `no significant difference between ${a} and ${b} on test (${figures})` };
}

export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function sumRoles<T>(byRole: { target: T; optimizer: T; judge: T }, pick: (value: T) => number): number {
  return pick(byRole.target) + pick(byRole.optimizer) + pick(byRole.judge);
}
