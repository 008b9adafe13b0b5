/** `promptopt bench`: strategies compared under equal budgets, with paired statistics (see run-bench.ts). */
export { runBench, describeMachine, type BenchEvent, type BenchOutcome, type RunBenchInput } from './run-bench.js';
export { planTasks, parseStrategies, type PlannedTask } from './plan-bench.js';
export { defaultBenchDir } from './bench-folder.js';
export { summarizeTask, compare, stats, START_ROW, type TaskSummary, type StrategyRow, type PairVerdict, type Verdict } from './summarize.js';
export type { BenchSettings, BenchTask, RunRecord, StartRecord, TrajectoryPoint } from './types.js';
