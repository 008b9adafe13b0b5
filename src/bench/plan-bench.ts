/**
 * From the command line to the bench's tasks: suite files are expanded, every spec is loaded and
 * checked (no call made), and each task gets its per-run budget (the flags, else its suite entry) and
 * a fingerprint of everything that decides its results, so a bench folder never mixes runs of two
 * versions of a task.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { resolveSplits } from '../dataset/resolve-splits.js';
import { UsageError } from '../errors.js';
import { specFingerprint } from '../optimizer/engine.js';
import { STRATEGY_NAMES } from '../optimizer/strategies/resolve-strategy.js';
import { lookupPrice } from '../providers/prices.js';
import type { ModelConfig } from '../providers/types.js';
import { loadSpec } from '../session/load-spec.js';
import { displayPath } from '../spec/issues.js';
import type { Spec } from '../spec/types.js';
import { hashValue, sha256 } from '../util/hash.js';
import { looksLikeSuite, readSuiteFile, suiteEntryFor, type SuiteEntry } from './suite-file.js';
import type { BenchBudgetFlags, BenchTask } from './types.js';

export interface PlanInput {
  files: string[];
  budget: BenchBudgetFlags;
  env: NodeJS.ProcessEnv;
  trustSpec?: boolean;
  warn: (message: string) => void;
}

export interface PlannedTask extends BenchTask {
  spec: Spec;
}

/** The strategies, checked against the ones the engine knows (resolve-strategy.ts). */
export function parseStrategies(list: string): string[] {
  const names = [...new Set(list.split(',').map((s) => s.trim()).filter(Boolean))];
  if (names.length === 0) throw new UsageError('--strategies needs at least one strategy', `e.g. --strategies ${STRATEGY_NAMES.join(',')}`);
  const unknown = names.filter((name) => !(STRATEGY_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) throw new UsageError(`unknown strateg${unknown.length === 1 ? 'y' : 'ies'}: ${unknown.join(', ')}`, `choose from: ${STRATEGY_NAMES.join(', ')}`);
  return names;
}

export async function planTasks(input: PlanInput): Promise<PlannedTask[]> {
  if (input.files.length === 0) throw new UsageError('name the task specs to bench, or a suite file', 'e.g. promptopt bench evals/bench/suite.yaml');
  const entries: SuiteEntry[] = [];
  for (const file of input.files) {
    const path = resolve(file);
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined && looksLikeSuite(text)) entries.push(...(await readSuiteFile(path)));
    else entries.push((await suiteEntryFor(path)) ?? { specFile: path, suiteFile: '' });
  }
  const unique = [...new Map(entries.map((e) => [e.specFile, e])).values()];
  const tasks: PlannedTask[] = [];
  for (const entry of unique) tasks.push(await planTask(entry, input));
  const seen = new Map<string, string>();
  for (const task of tasks) {
    const other = seen.get(task.id);
    if (other) throw new UsageError(`two specs are both named "${task.id}": ${displayPath(other)} and ${displayPath(task.specFile)}`, 'give each task spec its own `name:`');
    seen.set(task.id, task.specFile);
  }
  return tasks;
}

async function planTask(entry: SuiteEntry, input: PlanInput): Promise<PlannedTask> {
  const spec = await loadSpec(entry.specFile, { env: input.env, trustSpec: input.trustSpec, warn: input.warn });
  const { cases } = await resolveSplits(spec, { record: false });
  const budget = {
    ...((input.budget.maxTargetCalls ?? entry.maxTargetCalls) !== undefined ? { maxTargetCalls: input.budget.maxTargetCalls ?? entry.maxTargetCalls } : {}),
    ...((input.budget.maxUsd ?? entry.maxUsd) !== undefined ? { maxUsd: input.budget.maxUsd ?? entry.maxUsd } : {}),
  };
  if (budget.maxUsd !== undefined) checkPrices(spec);
  const text = await readFile(entry.specFile, 'utf8');
  return {
    id: spec.name.replace(/[^A-Za-z0-9._-]+/g, '-'),
    specFile: entry.specFile,
    spec,
    ...(entry.needsRealModel ? { needsRealModel: entry.needsRealModel } : {}),
    budget,
    simulated: { target: spec.target.provider === 'sim', optimizer: spec.optimizer.provider === 'sim' },
    objective: spec.objective,
    models: { target: `${spec.target.provider}:${spec.target.model}`, optimizer: `${spec.optimizer.provider}:${spec.optimizer.model}` },
    fingerprint: hashValue({ v: 1, spec: sha256(text), task: specFingerprint({ spec, cases }), budget }).slice(0, 16),
  };
}

/** A USD budget needs every model's price (the simulator's is a known 0). */
function checkPrices(spec: Spec): void {
  const models: [string, ModelConfig][] = [
    ['target', spec.target],
    ['optimizer', spec.optimizer],
  ];
  const unpriced = models.filter(([, m]) => m.price === undefined && lookupPrice(m.provider, m.model) === undefined);
  if (unpriced.length === 0) return;
  throw new UsageError(
    `--budget-per-run needs known prices, but in ${displayPath(spec.file)} ${unpriced.map(([role, m]) => `the ${role} ${m.provider}:${m.model}`).join(' and ')} has no known price`,
    `add \`price: { input_per_mtok, output_per_mtok }\` under ${unpriced.map(([role]) => role).join(' and ')}, or budget calls with --max-calls`,
  );
}
