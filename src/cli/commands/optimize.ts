/**
 * `promptopt optimize <task.yaml>`: runs the optimizer loop and writes versions, a trace, checkpoints
 * and reports. Exit 0 when the run completes (a budget stop included), 1 with --fail-under when the
 * final held-out test score is below it, 2 for bad input, 3 for provider failure, 130 on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import chalk from 'chalk';
import { EXIT, InterruptedError, PromptoptError } from '../../errors.js';
import { assertSplitsNonEmpty } from '../../dataset/select-split.js';
import { createModel } from '../../providers/create-model.js';
import { createLoopContext } from '../../optimizer/loop-context.js';
import { initialState, runOptimization, specFingerprint } from '../../optimizer/engine.js';
import { taskContext } from '../../optimizer/meta-prompt.js';
import { resolveStrategy } from '../../optimizer/strategies/resolve-strategy.js';
import type { OptimizerEvent, RunState } from '../../optimizer/types.js';
import { findRun, readCheckpoint, runFile, secretsFromEnv, traceEntryFromCall, TraceWriter, type TraceMode } from '../../report/index.js';
import { openTaskSession, withWorkerCap } from '../task-session.js';
import { parsePositiveInt, parseUnit } from './eval.js';
import type { CommandEnv } from '../program/command-env.js';
import { loopSettings, parseMaxCost, type OptimizeFlags } from '../optimize/settings.js';
import { runHooks } from '../optimize/run-hooks.js';
import { createLiveView } from '../optimize/live-view.js';
import { summaryJson, summaryText } from '../optimize/summary.js';
import { formatProjection, projectionJson, projectOptimize } from '../optimize/dry-run.js';
import { rememberTestResult, saveFinalCases } from '../optimize/final-cases.js';
import { writeRunReports as writeReportsOfRun } from '../run-reports.js';
import { commandNotifier, parseNotifyUrls } from '../notify/command-notifier.js';
import { optimizeNotifications } from '../notify/optimize-events.js';

export interface OptimizeOptions extends OptimizeFlags {
  resume?: string;
  dryRun?: boolean;
  json?: boolean;
  quiet?: boolean;
  cache: boolean;
  /** Extra webhook URLs (--notify, repeatable), added to the spec's `notify.webhooks`. */
  notify?: string[];
  /** What trace.jsonl records (default full). */
  trace?: TraceMode;
}

export async function optimizeCommand(file: string, options: OptimizeOptions, ctx: CommandEnv): Promise<number> {
  const { io, signal } = ctx;
  const warn = (message: string) => io.err(chalk.yellow(message));
  const failUnder = options.failUnder === undefined ? undefined : parseUnit('--fail-under', options.failUnder);
  const maxCostFlag = parseMaxCost(options.maxCost);
  const notifyUrls = parseNotifyUrls(options.notify);
  let trace: TraceWriter | undefined;
  const session = await openTaskSession(file, {
    noCache: !options.cache,
    warn,
    concurrency: options.concurrency === undefined ? undefined : parsePositiveInt('-j/--concurrency', options.concurrency),
    env: ctx.env,
    caller: { signal, onCall: (event) => trace?.write(traceEntryFromCall(event)) },
  });
  const { spec, caller } = session;
  const settings = loopSettings(spec, options);
  const required: ('train' | 'validation' | 'test')[] = ['train', 'test'];
  if (settings.validationIterations > 0 && session.cases.some((c) => c.split === 'validation')) required.push('validation');
  assertSplitsNonEmpty(spec, session.cases, required);
  const optimizer = createModel(withWorkerCap(spec.optimizer, settings.concurrency), { role: 'optimizer', env: ctx.env, warn, ledger: session.keyLedger, rateLimiters: session.rateLimiters });
  const maxCostUsd = maxCostFlag ?? spec.budget?.maxCostUsd;

  if (options.dryRun) {
    const projection = projectOptimize(spec, session.cases, settings);
    if (options.json) io.out(JSON.stringify(projectionJson(spec.name, projection, maxCostUsd)));
    else io.out(formatProjection(projection, maxCostUsd));
    return EXIT.ok;
  }

  const resumed = options.resume ? await loadResumable(spec.runsDir, options.resume, specFingerprint({ spec, cases: session.cases })) : undefined;
  const runId = resumed?.state.runId ?? newRunId();
  const runDir = resumed?.runDir ?? join(spec.runsDir, runId);
  await mkdir(runDir, { recursive: true });
  const traceMode = options.trace ?? 'full';
  if (traceMode !== 'off') trace = new TraceWriter(runFile(runDir, 'trace'), { mode: traceMode, secrets: secretsFromEnv(ctx.env) });
  caller.configure({ namespaces: { optimizer: runId }, maxCostUsd });
  if (resumed) caller.ledger.restore(resumed.state.spend);

  const view = createLiveView({
    ...(io.isTTY && !options.json && io.errStream ? { stream: io.errStream } : {}),
    quiet: Boolean(options.quiet) || Boolean(options.json),
    caller,
    maxCostUsd,
    maxIterations: settings.maxIterations,
    write: (line) => io.err(line),
  });
  const notifications = optimizeNotifications({
    notifier: commandNotifier(spec, notifyUrls, { warn, signal, env: ctx.env }),
    spec,
    runId,
    report: runFile(runDir, 'markdown'),
    maxCostUsd,
    resumed: resumed?.state,
  });
  const events: OptimizerEvent[] = [];
  const emit = (event: OptimizerEvent) => {
    events.push(event);
    view.onEvent(event);
    notifications.onEvent(event);
  };
  caller.configure({ onBudgetWarning: (spentUsd, maxUsd) => emit({ type: 'budget_warning', spentUsd, maxUsd }) });
  const targetModel = `${spec.target.provider}:${spec.target.model}`;
  const strategy = resolveStrategy(settings.strategy, settings.candidates, settings.seed);
  const context = createLoopContext({
    spec,
    cases: session.cases,
    task: taskContext(spec),
    target: session.target,
    judge: session.judge,
    optimizer,
    caller,
    strategy,
    settings,
    hooks: runHooks({ spec, runId, runDir, targetModel, caller, emit }),
    signal,
    state: resumed?.state ?? initialState({ spec, cases: session.cases, settings }, runId, settings.strategy),
  });

  const testResult = rememberTestResult(context);

  let state: RunState;
  try {
    state = await runOptimization(context);
  } catch (error) {
    await notifications.flush(); // a budget warning already on its way
    if (error instanceof InterruptedError) {
      throw new InterruptedError(`checkpoint saved; continue with: promptopt optimize ${relative(process.cwd(), spec.file) || spec.file} --resume ${runId}`, error.stopSignal);
    }
    throw error;
  } finally {
    view.stop();
    await trace?.close();
  }
  const cases = await saveFinalCases(runDir, { context, cache: session.cache, test: testResult(), warn });
  const written = await writeRunReports({ state, spec, session, optimizer, runDir, cases });
  const exitCode = failUnder !== undefined && (state.test?.score ?? 0) < failUnder ? EXIT.belowThreshold : EXIT.ok;
  notifications.finish(state, { versionFile: written.data.finalVersion.file, spentUsd: caller.ledger.totalCostUsd });
  const outcome = {
    data: written.data,
    iterations: state.iterations.length,
    reportPaths: written.paths,
    finalFile: written.data.finalVersion.file,
    exitCode,
  };
  if (options.json) io.out(JSON.stringify(summaryJson(outcome)));
  else io.out(summaryText(outcome));
  if (exitCode === EXIT.belowThreshold && !options.json) {
    io.err(
      chalk.red(
        state.test
          ? `held-out test score ${(state.test.score * 100).toFixed(1)}% is below --fail-under ${(failUnder! * 100).toFixed(1)}%`
          : `no held-out test score (the run stopped: ${state.stopReason ?? 'unknown'}), so --fail-under ${(failUnder! * 100).toFixed(1)}% cannot pass`,
      ),
    );
  }
  await notifications.flush();
  return exitCode;
}

async function writeRunReports(input: {
  state: RunState;
  spec: import('../../spec/types.js').Spec;
  session: import('../task-session.js').TaskSession;
  optimizer: import('../../providers/types.js').ChatModel;
  runDir: string;
  cases: import('../../report/types.js').CaseRecord[];
}) {
  const { session, optimizer } = input;
  return writeReportsOfRun({
    ...input,
    target: { provider: session.target.provider, model: session.target.modelId, simulated: session.target.simulated },
    optimizerModel: { provider: optimizer.provider, model: optimizer.modelId, simulated: optimizer.simulated },
  });
}

async function loadResumable(runsDir: string, idOrPath: string, fingerprint: string): Promise<{ state: RunState; runDir: string }> {
  const runDir = await findRun(runsDir, idOrPath);
  const state = await readCheckpoint(runDir);
  if (state.specHash !== fingerprint) {
    throw new PromptoptError('RESUME_SPEC_CHANGED', `cannot resume ${state.runId}: the task (prompt, target or cases) changed since the run started`, {
      hint: 'start a new run; the cache still serves every call that did not change',
    });
  }
  if (state.finishedAt) {
    throw new PromptoptError('RESUME_FINISHED', `run ${state.runId} already finished (${state.stopReason ?? 'done'})`, {
      hint: `see its report: ${runFile(runDir, 'markdown')}`,
    });
  }
  return { state, runDir };
}

function newRunId(): string {
  const now = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${now}-${randomBytes(2).toString('hex')}`;
}
