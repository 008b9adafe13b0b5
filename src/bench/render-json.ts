/**
 * bench.json (and `bench --json`): everything the tables are made of, complete: per task its
 * settings, the starting prompt, every run (with its per-case test scores and trajectory), the rows,
 * the paired verdicts and the mean trajectories. snake_case keys like every other JSON output; the
 * keys of maps keyed by data (case ids, stop reasons) are kept as they are.
 */
import type { BenchHeader } from './render-markdown.js';
import type { TaskSummary } from './summarize.js';
import type { BenchSettings } from './types.js';

/** bench.json's format version (the CLI's JSON documents carry one too). */
export const BENCH_JSON_SCHEMA_VERSION = 1;

/** Fields whose keys are data, not names. */
const DATA_KEYED = new Set(['testCases', 'stopReasons']);

export function benchJson(summaries: readonly TaskSummary[], settings: BenchSettings, header: BenchHeader): unknown {
  const sent = summaries.reduce(
    (sum, s) => sum + s.rows.reduce((n, row) => n + row.serverRequests, 0),
    0,
  );
  return snakeKeys({
    schemaVersion: BENCH_JSON_SCHEMA_VERSION,
    tool: 'promptopt',
    command: 'bench',
    generatedAt: header.generatedAt.toISOString(),
    machine: header.machine,
    dir: header.dir,
    settings,
    sentToProvider: sent,
    tasks: summaries.map((s) => ({
      task: s.task.id,
      spec: s.task.specFile,
      status: s.status,
      ...(s.task.needsRealModel ? { needsRealModel: s.task.needsRealModel } : {}),
      simulated: s.task.simulated,
      models: s.task.models,
      objective: s.task.objective,
      budget: s.task.budget,
      start: s.start ?? null,
      rows: s.rows,
      pairs: s.pairs,
      trajectory: s.trajectory ?? null,
      runs: s.runs,
    })),
  });
}

function snakeKeys(value: unknown, keepKeys = false): unknown {
  if (Array.isArray(value)) return value.map((item) => snakeKeys(item));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [keepKeys ? key : snake(key), DATA_KEYED.has(key) ? keepAsIs(item) : snakeKeys(item)]),
  );
}

function keepAsIs(value: unknown): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? snakeKeys(value, true) : value;
}

function snake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
