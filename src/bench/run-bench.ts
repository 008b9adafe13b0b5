/**
 * `promptopt bench` as a library call: every (task × strategy × seed) is one optimize run under the
 * task's budget; runs go in parallel (`parallel` at once) over one shared response cache; each
 * finished run is recorded at once, so a bench interrupted at any point continues without repeating
 * a finished run (the same command again, or the same `--out`). A task the simulator cannot play is
 * skipped on `sim` and reported as needing a real model. Then per task: the table, the verdicts,
 * the trajectories, written as bench.md, bench.json and bench.html.
 */
import { setMaxListeners } from 'node:events';
import { arch, cpus, platform } from 'node:os';
import pLimit from 'p-limit';
import { InterruptedError, PromptoptError, stopSignalOf } from '../errors.js';
import { createRedactor } from '../report/redact.js';
import { ResponseCache } from '../runner/response-cache.js';
import { commandSecrets } from '../session/command-secrets.js';
import { openBenchFolder, type BenchFolder } from './bench-folder.js';
import type { PlannedTask } from './plan-bench.js';
import { renderBenchHtml } from './render-html.js';
import { benchJson } from './render-json.js';
import { renderBenchMarkdown, type BenchHeader } from './render-markdown.js';
import { runOne } from './run-one.js';
import { scoreStart } from './score-start.js';
import { summarizeTask, type TaskSummary } from './summarize.js';
import type { BenchSettings, RunRecord, StartRecord } from './types.js';

export interface RunBenchInput {
  tasks: PlannedTask[];
  settings: BenchSettings;
  dir: string;
  env: NodeJS.ProcessEnv;
  trustSpec?: boolean;
  /** Ctrl-C: runs in flight stop, finished ones are kept. */
  signal?: AbortSignal;
  /** false: no shared cache (every run pays for every call, and a restarted run repeats its calls). */
  cache?: boolean;
  warn: (message: string) => void;
  onEvent?: (event: BenchEvent) => void;
}

export type BenchEvent =
  | { type: 'planned'; dir: string; total: number; finished: number; skipped: { task: string; reason: string }[] }
  | { type: 'start_scored'; record: StartRecord; reused: boolean }
  | { type: 'run_started'; task: string; strategy: string; seed: number }
  | { type: 'run_finished'; record: RunRecord; done: number; total: number };

export interface BenchOutcome {
  dir: string;
  summaries: TaskSummary[];
  files: { markdown: string; json: string; html: string };
  markdown: string;
  json: unknown;
}

interface Job {
  task: PlannedTask;
  strategy: string;
  seed: number;
}

export async function runBench(input: RunBenchInput): Promise<BenchOutcome> {
  const { tasks, settings, signal } = input;
  const emit = input.onEvent ?? (() => undefined);
  const folder = await openBenchFolder(input.dir, tasks);
  const skipped = tasks.filter((t) => t.needsRealModel && t.simulated.target);
  const runnable = tasks.filter((t) => !skipped.includes(t));
  const seeds = Array.from({ length: settings.runs }, (_, i) => settings.seed + i);

  const jobs: Job[] = [];
  const finished = new Map<string, RunRecord>();
  for (const task of runnable) {
    for (const strategy of settings.strategies) {
      for (const seed of seeds) {
        const record = await folder.readRun(task.id, strategy, seed);
        if (record) finished.set(jobKey({ task, strategy, seed }), record);
        else jobs.push({ task, strategy, seed });
      }
    }
  }
  const total = finished.size + jobs.length;
  emit({ type: 'planned', dir: folder.dir, total, finished: finished.size, skipped: skipped.map((t) => ({ task: t.id, reason: t.needsRealModel! })) });

  const secrets = [...new Set(tasks.flatMap((t) => commandSecrets(input.env, t.spec)))];
  const cache = input.cache === false ? undefined : new ResponseCache(folder.cacheDir, { scrub: createRedactor(secrets), warn: input.warn });
  // A failing run stops the others (their records are not written); Ctrl-C does the same.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal); // every request of every run in flight listens to it
  const onAbort = () => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  const limit = pLimit(Math.max(1, settings.parallel));
  let failure: unknown;
  const fail = (error: unknown) => {
    if (stop.signal.aborted && isInterrupt(error)) return; // a run stopped because another failed or Ctrl-C
    failure ??= error;
    stop.abort('failure');
  };
  const common = { cache, env: input.env, trustSpec: input.trustSpec, signal: stop.signal, concurrency: settings.concurrency, warn: input.warn };
  try {
    // The starting prompts first: their train and validation calls are every run's baseline, from the cache.
    const starts = new Map<string, StartRecord>();
    await Promise.all(
      runnable.map((task) =>
        limit(async () => {
          if (stop.signal.aborted) return;
          const known = await folder.readStart(task.id);
          try {
            const record = known ?? (await scoreStart(task, common));
            if (!known) await folder.writeStart(record);
            starts.set(task.id, record);
            emit({ type: 'start_scored', record, reused: Boolean(known) });
          } catch (error) {
            fail(error);
          }
        }),
      ),
    );
    let done = finished.size;
    await Promise.all(
      jobs.map((job) =>
        limit(async () => {
          if (stop.signal.aborted) return;
          emit({ type: 'run_started', task: job.task.id, strategy: job.strategy, seed: job.seed });
          try {
            const record = await runOne({ ...common, task: job.task, strategy: job.strategy, seed: job.seed, folders: folder.taskFolders(job.task.id) });
            await folder.writeRun(record);
            finished.set(jobKey(job), record);
            emit({ type: 'run_finished', record, done: ++done, total });
          } catch (error) {
            fail(error);
          }
        }),
      ),
    );
    if (signal?.aborted) {
      throw new InterruptedError(`${finished.size} of ${total} runs are finished and kept in ${folder.dir}; run the same command again to continue`, stopSignalOf(signal));
    }
    if (failure !== undefined) throw withContinueHint(failure, finished.size, total, folder);
    const summaries = [...runnable.map((task) => summarizeTask(task, starts.get(task.id)!, runsOf(task.id, finished), settings))];
    for (const task of skipped) summaries.push({ task, status: 'needs_real_model', rows: [], pairs: [], runs: [] });
    summaries.sort((a, b) => tasks.indexOf(a.task as PlannedTask) - tasks.indexOf(b.task as PlannedTask));
    return await writeOutputs(folder, summaries, settings);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await cache?.close();
  }
}

async function writeOutputs(folder: BenchFolder, summaries: TaskSummary[], settings: BenchSettings): Promise<BenchOutcome> {
  const header: BenchHeader = { generatedAt: new Date(), machine: describeMachine(), dir: folder.dir };
  const markdown = renderBenchMarkdown(summaries, settings, header);
  const json = benchJson(summaries, settings, header);
  const files = {
    markdown: await folder.writeOutput('bench.md', markdown),
    json: await folder.writeOutput('bench.json', `${JSON.stringify(json, null, 1)}\n`),
    html: await folder.writeOutput('bench.html', renderBenchHtml(summaries, settings, header)),
  };
  return { dir: folder.dir, summaries, files, markdown, json };
}

/** `2 cores (AMD EPYC …), linux x64, Node v20.19.0`. */
export function describeMachine(): string {
  const cores = cpus();
  const model = cores[0]?.model.replace(/\s+/g, ' ').trim();
  return `${cores.length} cores${model ? ` (${model})` : ''}, ${platform()} ${arch()}, Node ${process.version}`;
}

function runsOf(task: string, finished: ReadonlyMap<string, RunRecord>): RunRecord[] {
  return [...finished.values()].filter((r) => r.task === task);
}

function jobKey(job: { task: { id: string }; strategy: string; seed: number }): string {
  return `${job.task.id}\u0000${job.strategy}\u0000${job.seed}`;
}

function isInterrupt(error: unknown): boolean {
  const cause = (error as { cause?: unknown } | null)?.cause;
  return error instanceof InterruptedError || cause instanceof InterruptedError;
}

/** A run failed (a provider outage, a prompt that could not be scored): finished runs are kept. */
function withContinueHint(error: unknown, finished: number, total: number, folder: BenchFolder): unknown {
  const cause = (error as { cause?: unknown } | null)?.cause instanceof PromptoptError && !(error instanceof PromptoptError) ? (error as { cause: PromptoptError }).cause : error;
  if (!(cause instanceof PromptoptError)) return error;
  const hint = `${finished} of ${total} runs are finished and kept in ${folder.dir}; run the same command again to continue`;
  return new PromptoptError(cause.code, cause.message, { exitCode: cause.exitCode, hint: cause.hint ? `${cause.hint}; ${hint}` : hint, cause });
}
