/**
 * A bench's folder: what makes it resumable. Every finished run is one JSON file, written atomically
 * when the run is over (so a run is either finished and kept, or redone); `bench-plan.json` records
 * each task's fingerprint, so a folder never mixes results of two versions of a task or two budgets.
 *
 *   <out>/bench-plan.json                       task -> fingerprint
 *   <out>/cache/                                the response cache the runs share (see README: fair sharing)
 *   <out>/tasks/<task>/results/start.json       the starting prompt, evaluated once
 *   <out>/tasks/<task>/results/<strategy>-seed<n>.json
 *   <out>/tasks/<task>/versions/, runs/         each run's versions and run folder (reports, checkpoint)
 *   <out>/bench.md, bench.json, bench.html      the tables
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PromptoptError } from '../errors.js';
import { displayPath } from '../spec/issues.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { hashValue } from '../util/hash.js';
import type { BenchTask, RunRecord, StartRecord } from './types.js';

export interface BenchFolder {
  dir: string;
  cacheDir: string;
  taskFolders(task: string): { versionsDir: string; runsDir: string };
  readStart(task: string): Promise<StartRecord | undefined>;
  writeStart(record: StartRecord): Promise<void>;
  readRun(task: string, strategy: string, seed: number): Promise<RunRecord | undefined>;
  writeRun(record: RunRecord): Promise<void>;
  writeOutput(name: 'bench.md' | 'bench.json' | 'bench.html', text: string): Promise<string>;
}

/** The default folder: one per set of tasks and budgets, so running the same command again continues it. */
export function defaultBenchDir(cwd: string, tasks: readonly BenchTask[]): string {
  const key = hashValue(tasks.map((t) => [t.id, t.fingerprint]).sort()).slice(0, 10);
  return join(cwd, '.promptopt', 'bench', `bench-${key}`);
}

/** Opens (or starts) the folder; refuses one whose runs were made for another version of a task. */
export async function openBenchFolder(dir: string, tasks: readonly BenchTask[]): Promise<BenchFolder> {
  const planFile = join(dir, 'bench-plan.json');
  const recorded = await readJson<{ tasks: Record<string, string> }>(planFile);
  const plan = { ...recorded?.tasks };
  for (const task of tasks) {
    const before = plan[task.id];
    if (before !== undefined && before !== task.fingerprint) {
      throw new PromptoptError('BENCH_CHANGED', `${displayPath(dir)} holds runs of another version of task "${task.id}" (its spec, prompt, cases or budget changed)`, {
        hint: 'name another folder with --out, or delete this one to start over',
      });
    }
    plan[task.id] = task.fingerprint;
  }
  await writeFileAtomic(planFile, `${JSON.stringify({ schema_version: 1, tasks: plan }, null, 2)}\n`);
  const results = (task: string) => join(dir, 'tasks', task, 'results');
  return {
    dir,
    cacheDir: join(dir, 'cache'),
    taskFolders: (task) => ({ versionsDir: join(dir, 'tasks', task, 'versions'), runsDir: join(dir, 'tasks', task, 'runs') }),
    readStart: (task) => readJson<StartRecord>(join(results(task), 'start.json')),
    writeStart: (record) => writeFileAtomic(join(results(record.task), 'start.json'), `${JSON.stringify(record, null, 1)}\n`),
    readRun: (task, strategy, seed) => readJson<RunRecord>(join(results(task), runFileName(strategy, seed))),
    writeRun: (record) => writeFileAtomic(join(results(record.task), runFileName(record.strategy, record.seed)), `${JSON.stringify(record, null, 1)}\n`),
    async writeOutput(name, text) {
      const file = join(dir, name);
      await writeFileAtomic(file, text);
      return file;
    },
  };
}

function runFileName(strategy: string, seed: number): string {
  return `${strategy}-seed${seed}.json`;
}

async function readJson<T>(file: string): Promise<T | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new PromptoptError('BENCH_DAMAGED', `${displayPath(file)} is not valid JSON`, { hint: 'delete it: that run is then made again' });
  }
}
