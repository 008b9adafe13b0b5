/**
 * An optimize run of a task spec, end to end, as a library call: the session (spec, cases and splits,
 * models, cache, caller), the run folder (checkpoint, durable spend journal, trace), resume, the
 * versions, the engine, the final version's case results (cases.json) and the reports, in the
 * finishing order (case results and reports first, then the checkpoint says finished). The CLI only
 * parses flags, renders the events and the outcome, and picks the exit code.
 *
 *   const task = await openOptimizeTask('task.yaml', { maxIterations: 4 }, { warn: console.warn });
 *   const outcome = await task.run({ onEvent: (event) => console.log(event.type) });
 *   outcome.state.current.version, outcome.results.test?.cases, outcome.reportPaths.html
 *
 * Opening makes no call and writes nothing (so `--dry-run` is `task.projection()`); `run` records the
 * splits file, then everything else. Opened with `dryRun`, a missing key (target, judge or optimizer) is named in
 * `missingKeys` instead of refused (a dry run makes no call); `run` then refuses it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { assertSplitsNonEmpty } from '../dataset/select-split.js';
import { MissingApiKeyError } from '../errors.js';
import { initialState, runOptimization, specFingerprint, type FinalResults } from '../optimizer/engine.js';
import { createLoopContext, type LoopSettings } from '../optimizer/loop-context.js';
import { taskContext } from '../optimizer/meta-prompt.js';
import { resolveLoopSettings, type LoopOverrides } from '../optimizer/resolve-settings.js';
import { resolveStrategy } from '../optimizer/strategies/resolve-strategy.js';
import type { OptimizerEvent, RunState } from '../optimizer/types.js';
import type { ChatModel } from '../providers/types.js';
import { runFile, toCaseRecord, traceEntryFromCall, TraceWriter, writeCaseRecords, writeCheckpoint, type ReportPaths, type TraceMode } from '../report/index.js';
import type { CaseRecord, ReportData } from '../report/types.js';
import type { ModelCaller } from '../runner/model-caller.js';
import type { ResponseCache } from '../runner/response-cache.js';
import { SpendJournal } from '../runner/spend-journal.js';
import { openTaskSession, type TaskSession } from '../session/task-session.js';
import type { Spec, SplitCase, SplitName } from '../spec/types.js';
import { listVersions } from '../store/list-versions.js';
import { removeStaleTempFiles } from '../util/atomic-write.js';
import { projectOptimize, type OptimizeProjection } from './project-optimize.js';
import { loadResumable } from './resume.js';
import { runHooks } from './run-hooks.js';
import { writeRunReports } from './run-reports.js';

export interface OptimizeTaskOptions extends LoopOverrides {
  /** Budget in USD over optimizer, target and judge calls (default: the spec's budget.max_cost_usd). */
  maxCostUsd?: number;
  /** Bypass the response cache. */
  noCache?: boolean;
  /** Continue a run: its id, a run folder, or `latest`. */
  resume?: string;
  /** What trace.jsonl records: full (default), calls (no request texts), off (no trace). */
  trace?: TraceMode;
  env?: NodeJS.ProcessEnv;
  trustSpec?: boolean;
  /** A response cache opened by the caller instead of the spec's (a bench shares one among its runs). */
  cache?: ResponseCache;
  /** Where versions and run folders go instead of the spec's folders (a bench keeps its runs apart). */
  folders?: { versionsDir: string; runsDir: string };
  /**
   * The cache namespace of optimizer calls; default the run's id (a fresh run gets fresh proposals,
   * a resumed one replays its own). A bench names each (task, strategy, seed), so a run it restarts
   * replays the proposals it was given.
   */
  optimizerNamespace?: string;
  /** Open for a projection only: a missing API key (any role) goes to `missingKeys`, not thrown. */
  dryRun?: boolean;
}

export interface OptimizeTaskHooks {
  warn?: (message: string) => void;
  /** Told what was recorded (the splits file). */
  note?: (message: string) => void;
  /** Aborting it stops the run as Ctrl-C does (calls in flight cancelled, checkpoint written). */
  signal?: AbortSignal;
}

/** The engine's events, plus one the run emits first: its id and folder (and the checkpoint a resumed run continues from). */
export type OptimizeTaskEvent = OptimizerEvent | { type: 'run_opened'; runId: string; runDir: string; resumed?: RunState; announcement?: string };

export interface OptimizeOutcome {
  state: RunState;
  runId: string;
  runDir: string;
  /** The final version's case results per split (the engine's, no re-evaluation). */
  results: FinalResults;
  /** What cases.json holds: those results, compact. */
  cases: CaseRecord[];
  report: ReportData;
  reportPaths: ReportPaths;
  /** The final version's prompt file. */
  versionFile: string;
  /** A finished run resumed only because its reports were missing (its webhooks were told already). */
  alreadyFinished: boolean;
  spentUsd: number;
}

export interface OptimizeTask {
  spec: Spec;
  settings: LoopSettings;
  maxCostUsd?: number;
  /** The cases with their splits (as the run will use them). */
  cases: SplitCase[];
  /** The run's caller: its ledger holds the spend so far. */
  caller: ModelCaller;
  /** Every model the run may bill. */
  target: ChatModel;
  judge?: ChatModel;
  optimizer: ChatModel;
  /** Removes known API keys from text (for webhook bodies and other outputs). */
  scrub: (text: string) => string;
  /** Keys the run will need that are not set (only when opened with `dryRun`; `run` refuses them). */
  missingKeys: MissingApiKeyError[];
  /** The projected calls and cost of the configured loop (no call made). */
  projection(): Promise<OptimizeProjection>;
  run(events?: { onEvent?: (event: OptimizeTaskEvent) => void }): Promise<OptimizeOutcome>;
}

/** Opens the task: every check that needs no call (spec, splits, versions folder, keys), nothing written. */
export async function openOptimizeTask(specFile: string, options: OptimizeTaskOptions = {}, hooks: OptimizeTaskHooks = {}): Promise<OptimizeTask> {
  const warn = hooks.warn ?? (() => undefined);
  let trace: TraceWriter | undefined;
  const missingKeys: MissingApiKeyError[] = [];
  const opened = await openTaskSession(specFile, {
    ...(options.dryRun ? { deferMissingKey: (error: MissingApiKeyError) => missingKeys.push(error) } : {}),
    noCache: options.noCache,
    ...(options.cache ? { cache: options.cache } : {}),
    warn,
    note: hooks.note,
    concurrency: options.concurrency,
    env: options.env,
    trustSpec: options.trustSpec,
    caller: { signal: hooks.signal, onCall: (event) => trace?.write(traceEntryFromCall(event)) },
  });
  const session: TaskSession = options.folders ? { ...opened, spec: { ...opened.spec, ...options.folders } } : opened;
  const { spec, caller } = session;
  const settings = resolveLoopSettings(spec, options);
  const required: SplitName[] = ['train', 'test'];
  if (settings.validationIterations > 0 && session.cases.some((c) => c.split === 'validation')) required.push('validation');
  assertSplitsNonEmpty(spec, session.cases, required, 'optimize');
  await listVersions(spec.versionsDir); // a damaged vN.json is named now, before the first call
  const optimizer = session.model(spec.optimizer, 'optimizer');
  const maxCostUsd = options.maxCostUsd ?? spec.budget?.maxCostUsd;
  return {
    spec,
    cases: session.cases,
    settings,
    ...(maxCostUsd !== undefined ? { maxCostUsd } : {}),
    caller,
    target: session.target,
    ...(session.judge ? { judge: session.judge } : {}),
    optimizer,
    scrub: session.scrub,
    missingKeys,
    projection: () => projectOptimize({ spec, cases: session.cases, settings, target: session.target, optimizer, caller, ...(session.judge ? { judge: session.judge } : {}) }),
    run: async (events = {}) => {
      if (missingKeys.length > 0) throw missingKeys[0];
      return runTask({ session, settings, optimizer, maxCostUsd, options, hooks, onEvent: events.onEvent ?? (() => undefined), setTrace: (t) => (trace = t) });
    },
  };
}

/**
 * The optimizer model; with `deferMissingKey`, a missing API key is handed to it and the model stands
 * in for the projection (its name and price), refusing any call.
 */

/** Opens the task and runs it. */
export async function optimizeTask(
  specFile: string,
  options: OptimizeTaskOptions = {},
  hooks: OptimizeTaskHooks & { onEvent?: (event: OptimizeTaskEvent) => void } = {},
): Promise<OptimizeOutcome> {
  const task = await openOptimizeTask(specFile, options, hooks);
  return task.run({ onEvent: hooks.onEvent });
}

interface RunInput {
  session: TaskSession;
  settings: LoopSettings & { strategy: RunState['strategy'] };
  optimizer: ChatModel;
  maxCostUsd: number | undefined;
  options: OptimizeTaskOptions;
  hooks: OptimizeTaskHooks;
  onEvent: (event: OptimizeTaskEvent) => void;
  setTrace: (trace: TraceWriter | undefined) => void;
}

async function runTask(input: RunInput): Promise<OptimizeOutcome> {
  const { session, settings, optimizer, maxCostUsd, options, hooks, onEvent } = input;
  const { spec, caller, cache } = session;
  const warn = hooks.warn ?? (() => undefined);
  // The splits file is written here (after every check, never by a dry run), so later runs and `eval` use these splits.
  const cases = await session.recordSplits();
  const resumed = options.resume ? await loadResumable(spec.runsDir, options.resume, specFingerprint({ spec, cases }), spec.file) : undefined;
  const runId = resumed?.state.runId ?? newRunId();
  const runDir = resumed?.runDir ?? join(spec.runsDir, runId);
  await mkdir(runDir, { recursive: true });
  await removeLeftoverTempFiles(spec);
  // Spend is durable: every paid call is journaled before it is sent, and a resumed run's ledger is
  // rebuilt from the journal (a run from before the journal continues from its checkpoint's spend).
  const journal = await SpendJournal.open(runFile(runDir, 'spend'), { runId, ...(cache ? { lookup: (key: string) => cache.lookup(key) } : {}) });
  const journaled = journal.ledgerLines();
  caller.ledger.restore(journaled.length > 0 || !resumed ? journaled : resumed.state.spend);
  // `redact: { traces: true }`: personal data in the calls is redacted too (loaded only then).
  const redactEntry = spec.redact.traces ? (await import('../redact/entry-redactor.js')).createEntryRedactor(spec.redact) : undefined;
  const traceMode = options.trace ?? 'full';
  const trace = traceMode === 'off' ? undefined : new TraceWriter(runFile(runDir, 'trace'), { mode: traceMode, secrets: session.secrets, ...(redactEntry ? { redactEntry } : {}) });
  input.setTrace(trace);
  caller.configure({ namespaces: { optimizer: options.optimizerNamespace ?? runId }, maxCostUsd, payer: { by: 'optimize', runId }, journal });
  onEvent({ type: 'run_opened', runId, runDir, ...(resumed ? { resumed: resumed.state, announcement: resumed.announcement } : {}) });
  caller.configure({ onBudgetWarning: (spentUsd, maxUsd) => onEvent({ type: 'budget_warning', spentUsd, maxUsd }) });

  // A resumed run continues with the strategy and seed it started with: its checkpointed strategy
  // state (a population, a front, a scored history) and its seeded draws belong to them.
  const runSettings = resumed ? { ...settings, strategy: resumed.state.strategy, seed: resumed.state.seed } : settings;
  if (resumed && options.strategy !== undefined && options.strategy !== resumed.state.strategy) {
    warn(`warning: --strategy ${options.strategy} ignored: run ${resumed.state.runId} continues with the strategy it started with, ${resumed.state.strategy}`);
  }
  const state = resumed?.state ?? initialState({ spec, cases, settings }, runId, settings.strategy);
  const context = createLoopContext({
    spec,
    cases,
    task: taskContext(spec),
    target: session.target,
    judge: session.judge,
    optimizer,
    caller,
    strategy: resolveStrategy(runSettings.strategy, runSettings.candidates, runSettings.seed),
    settings: runSettings,
    hooks: runHooks({ spec, runId, runDir, targetModel: `${spec.target.provider}:${spec.target.model}`, caller, emit: onEvent }),
    signal: hooks.signal,
    state,
  });
  // A finished run resumed only because its reports are missing: it has told its webhooks already.
  const alreadyFinished = Boolean(resumed?.state.finishedAt);
  if (state.stoppedAt && !cache) {
    warn(`warning: --no-cache: the final version v${state.current.version} is scored again for the reports' case table (its results were not kept)`);
  }

  let outcome;
  try {
    outcome = await runOptimization(context, { resumed: Boolean(resumed) });
  } catch (error) {
    await caller.idle();
    journal.close();
    throw error;
  } finally {
    await trace?.close();
  }
  // Calls still in flight (a budget stop leaves some) were sent: wait for their cost before reporting it.
  await caller.idle();
  journal.close();
  state.spend = caller.ledger.snapshot();
  for (const gap of outcome.missing) {
    warn(`warning: the report lists no ${gap.split} case results of the final version: ${gap.reason}`);
  }
  // Finishing is the last step: case results and reports first, then the checkpoint says finished.
  const records = (['train', 'validation', 'test'] as const).flatMap((split) => outcome.results[split]?.cases.map(toCaseRecord) ?? []);
  await writeCaseRecords(runDir, { runId, promptVersion: state.current.version, cases: records }, session.secrets);
  const written = await writeRunReports({
    state,
    spec,
    target: { provider: session.target.provider, model: session.target.modelId, simulated: session.target.simulated },
    optimizerModel: { provider: optimizer.provider, model: optimizer.modelId, simulated: optimizer.simulated },
    runDir,
    cases: records,
    secrets: session.secrets,
  });
  state.finishedAt ??= state.stoppedAt ?? new Date().toISOString();
  await writeCheckpoint(runDir, state);
  return {
    state,
    runId,
    runDir,
    results: outcome.results,
    cases: records,
    report: written.data,
    reportPaths: written.paths,
    versionFile: written.data.finalVersion.file,
    alreadyFinished,
    spentUsd: caller.ledger.totalCostUsd,
  };
}

/** Temp files a kill left beside checkpoints (in every run folder) and versions (see removeStaleTempFiles). */
async function removeLeftoverTempFiles(spec: Spec): Promise<void> {
  const runs = await readdir(spec.runsDir).catch(() => [] as string[]);
  await Promise.all([...runs.map((name) => removeStaleTempFiles(join(spec.runsDir, name))), removeStaleTempFiles(spec.versionsDir)]);
}

function newRunId(): string {
  const now = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${now}-${randomBytes(2).toString('hex')}`;
}
