/**
 * `promptopt optimize <task.yaml>`: runs the optimizer loop and writes versions, a trace, checkpoints
 * and reports. Exit 0 when the run completes (a budget stop included), 1 with --fail-under when the
 * final held-out test score is below it, 2 for bad input, 3 for provider failure, 130 on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import chalk from 'chalk';
import { EXIT, InterruptedError, PromptoptError } from '../../errors.js';
import { assertSplitsNonEmpty } from '../../dataset/select-split.js';
import { createModel } from '../../providers/create-model.js';
import { createLoopContext } from '../../optimizer/loop-context.js';
import { initialState, runOptimization, specFingerprint } from '../../optimizer/engine.js';
import { taskContext } from '../../optimizer/meta-prompt.js';
import { resolveStrategy } from '../../optimizer/strategies/resolve-strategy.js';
import type { OptimizerEvent, RunState } from '../../optimizer/types.js';
import { runFile, secretsFromEnv, traceEntryFromCall, TraceWriter, writeCheckpoint } from '../../report/index.js';
import { SpendJournal } from '../../runner/spend-journal.js';
import { removeStaleTempFiles } from '../../util/atomic-write.js';
import { loadResumable } from '../optimize/resume.js';
import { listVersions } from '../../store/list-versions.js';
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
import { startDeadline } from '../deadline.js';
import { IncompleteEvalError } from '../../runner/run-eval.js';
import { commandNotifier, parseNotifyUrls } from '../notify/command-notifier.js';
import { optimizeNotifications } from '../notify/optimize-events.js';
import { describeRole, describeTarget } from '../describe-target.js';

export interface OptimizeOptions extends OptimizeFlags {
  resume?: string;
  dryRun?: boolean;
  json?: boolean;
  quiet?: boolean;
  cache: boolean;
  /** Extra webhook URLs (--notify, repeatable), added to the spec's `notify.webhooks`. */
  notify?: string[];
  /** --deadline: stop (checkpoint kept) and exit 3 when the run takes longer (e.g. 2h). */
  deadline?: string;
}

export async function optimizeCommand(file: string, options: OptimizeOptions, ctx: CommandEnv): Promise<number> {
  const { io, signal } = ctx;
  const warn = (message: string) => io.err(chalk.yellow(message));
  const failUnder = options.failUnder === undefined ? undefined : parseUnit('--fail-under', options.failUnder);
  const maxCostFlag = parseMaxCost(options.maxCost);
  const notifyUrls = parseNotifyUrls(options.notify);
  const deadline = startDeadline(signal, options.deadline);
  let trace: TraceWriter | undefined;
  const session = await openTaskSession(file, {
    noCache: !options.cache,
    warn,
    note: (message) => (options.quiet || options.json ? undefined : io.err(chalk.dim(message))),
    concurrency: options.concurrency === undefined ? undefined : parsePositiveInt('-j/--concurrency', options.concurrency),
    env: ctx.env,
    trustSpec: ctx.trustSpec,
    caller: { signal: deadline.signal, onCall: (event) => trace?.write(traceEntryFromCall(event)) },
  });
  const { spec, caller } = session;
  const settings = loopSettings(spec, options);
  const required: ('train' | 'validation' | 'test')[] = ['train', 'test'];
  if (settings.validationIterations > 0 && session.cases.some((c) => c.split === 'validation')) required.push('validation');
  assertSplitsNonEmpty(spec, session.cases, required, 'optimize');
  await listVersions(spec.versionsDir); // a damaged vN.json is named now, before the first call
  const optimizer = createModel(withWorkerCap(spec.optimizer, settings.concurrency), { role: 'optimizer', env: ctx.env, trustSpec: ctx.trustSpec, warn, ledger: session.keyLedger, rateLimiters: session.rateLimiters });
  const maxCostUsd = maxCostFlag ?? spec.budget?.maxCostUsd;
  if (!options.quiet && !options.json) io.err(runHeader(session, optimizer));

  if (options.dryRun) {
    const projection = projectOptimize(spec, session.cases, settings);
    if (options.json) io.out(JSON.stringify(projectionJson(spec.name, projection, maxCostUsd)));
    else io.out(formatProjection(projection, maxCostUsd));
    return EXIT.ok;
  }

  // The splits file is written here (after every check, never by a dry run), so later runs and `eval` use these splits.
  const recordedCases = await session.recordSplits();
  const fingerprint = specFingerprint({ spec, cases: recordedCases });
  const resumed = options.resume ? await loadResumable(spec.runsDir, options.resume, fingerprint, spec.file) : undefined;
  if (resumed && !options.quiet) io.err(resumed.announcement);
  const runId = resumed?.state.runId ?? newRunId();
  const runDir = resumed?.runDir ?? join(spec.runsDir, runId);
  await mkdir(runDir, { recursive: true });
  await removeLeftoverTempFiles(spec);
  // Spend is durable: every paid call is journaled before it is sent, and a resumed run's ledger is
  // rebuilt from the journal (a run from before the journal continues from its checkpoint's spend).
  const cache = session.cache;
  const journal = await SpendJournal.open(runFile(runDir, 'spend'), { runId, ...(cache ? { lookup: (key: string) => cache.lookup(key) } : {}) });
  const journaled = journal.ledgerLines();
  caller.ledger.restore(journaled.length > 0 || !resumed ? journaled : resumed.state.spend);
  // `redact: { traces: true }`: personal data in the calls is redacted too (loaded only then).
  const redactEntry = spec.redact.traces ? (await import('../../redact/entry-redactor.js')).createEntryRedactor(spec.redact) : undefined;
  trace = new TraceWriter(runFile(runDir, 'trace'), { secrets: session.secrets, ...(redactEntry ? { redactEntry } : {}) });
  caller.configure({ namespaces: { optimizer: runId }, maxCostUsd, payer: { by: 'optimize', runId }, journal });

  const view = createLiveView({
    ...(io.isTTY && !options.json && io.errStream ? { stream: io.errStream } : {}),
    quiet: Boolean(options.quiet) || Boolean(options.json),
    caller,
    maxCostUsd,
    maxIterations: settings.maxIterations,
    write: (line) => io.err(line),
  });
  const notifications = optimizeNotifications({
    notifier: commandNotifier(spec, notifyUrls, { warn, signal, env: ctx.env, scrub: session.scrub }),
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
    cases: recordedCases,
    task: taskContext(spec),
    target: session.target,
    judge: session.judge,
    optimizer,
    caller,
    strategy,
    settings,
    hooks: runHooks({ spec, runId, runDir, targetModel, caller, emit }),
    signal: deadline.signal,
    state: resumed?.state ?? initialState({ spec, cases: recordedCases, settings }, runId, settings.strategy),
  });

  const testResult = rememberTestResult(context);
  // A finished run resumed only because its reports are missing: it has told its webhooks already.
  const alreadyFinished = Boolean(resumed?.state.finishedAt);

  let state: RunState;
  try {
    state = await runOptimization(context, { resumed: Boolean(resumed) });
  } catch (error) {
    await caller.idle();
    journal.close();
    await notifications.flush(); // a budget warning already on its way
    const resumeHint = `checkpoint saved; continue with: ${ctx.invocation.command(['optimize', ctx.invocation.path(spec.file), '--resume', runId])}`;
    const late = deadline.explain(error, 'the run stopped before it finished', resumeHint);
    if (late !== error) throw late;
    if (error instanceof InterruptedError) throw new InterruptedError(resumeHint, error.stopSignal);
    throw withResumeHint(error, resumeHint);
  } finally {
    deadline.clear();
    view.stop();
    await trace.close();
  }
  // Calls still in flight (a budget stop leaves some) were sent: wait for their cost before reporting it.
  await caller.idle();
  journal.close();
  state.spend = caller.ledger.snapshot();
  // Finishing is the last step: case results and reports first, then the checkpoint says finished.
  const cases = await saveFinalCases(runDir, { context, cache, test: testResult(), warn, secrets: session.secrets });
  const written = await writeRunReports({ state, spec, session, optimizer, runDir, cases });
  state.finishedAt ??= state.stoppedAt ?? new Date().toISOString();
  await writeCheckpoint(runDir, state);
  const exitCode = failUnder !== undefined && (state.test?.score ?? 0) < failUnder ? EXIT.belowThreshold : EXIT.ok;
  if (!alreadyFinished) notifications.finish(state, { versionFile: written.data.finalVersion.file, spentUsd: caller.ledger.totalCostUsd });
  const outcome = {
    data: written.data,
    iterations: state.iterations.length,
    reportPaths: written.paths,
    finalFile: written.data.finalVersion.file,
    exitCode,
  };
  if (options.json) io.out(JSON.stringify(summaryJson(outcome)));
  else io.out(summaryText(outcome, ctx.invocation));
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

/** Temp files a kill left beside checkpoints (in every run folder) and versions (see removeStaleTempFiles). */
async function removeLeftoverTempFiles(spec: import('../../spec/types.js').Spec): Promise<void> {
  const runs = await readdir(spec.runsDir).catch(() => [] as string[]);
  await Promise.all([...runs.map((name) => removeStaleTempFiles(join(spec.runsDir, name))), removeStaleTempFiles(spec.versionsDir)]);
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
    secrets: session.secrets,
  });
}

/**
 * A run stopped by its provider (an endpoint down, a prompt that could not be scored, an optimizer
 * that never answered) keeps its checkpoint: the message says how to continue.
 */
function withResumeHint(error: unknown, resumeHint: string): unknown {
  const cause = error instanceof IncompleteEvalError ? error.cause : error;
  if (!(cause instanceof PromptoptError) || cause.exitCode !== EXIT.providerFailure) return error;
  return new PromptoptError(cause.code, cause.message, { exitCode: cause.exitCode, hint: cause.hint ? `${cause.hint}; ${resumeHint}` : resumeHint, cause });
}

/** `promptopt optimize · task · 24 cases (train 12, validation 4, test 8) · target … · optimizer … · judge …`: every model the run may bill. */
function runHeader(session: import('../task-session.js').TaskSession, optimizer: import('../../providers/types.js').ChatModel): string {
  const { spec, cases } = session;
  const splits = (['train', 'validation', 'test'] as const).map((split) => `${split} ${cases.filter((c) => c.split === split).length}`).join(', ');
  const judge = session.judge ? ` · ${describeRole('judge', session.judge, spec.judge)}` : '';
  return `promptopt optimize · ${spec.name} · ${cases.length} cases (${splits}) · target ${describeTarget(session.target)} · ${describeRole('optimizer', optimizer, spec.optimizer)}${judge}`;
}

function newRunId(): string {
  const now = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${now}-${randomBytes(2).toString('hex')}`;
}
