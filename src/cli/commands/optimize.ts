/**
 * `promptopt optimize <task.yaml>`: runs the optimizer loop (src/workflows/optimize-task.ts does the
 * work) and renders it: the live view, webhooks, the closing summary. Exit 0 when the run completes
 * (a budget stop included), 1 with --fail-under when the final version's held-out test score is
 * below it, 2 for bad input, 3 for provider failure, 130 on Ctrl-C.
 */
import chalk from 'chalk';
import { EXIT, InterruptedError, PromptoptError } from '../../errors.js';
import { runFile, type TraceMode } from '../../report/index.js';
import { IncompleteEvalError } from '../../runner/run-eval.js';
import { openOptimizeTask, type OptimizeTask, type OptimizeTaskEvent } from '../../workflows/optimize-task.js';
import { parseUnit } from './eval.js';
import type { CommandEnv } from '../program/command-env.js';
import { loopOverrides, parseMaxCost, type OptimizeFlags } from '../optimize/flags.js';
import { createLiveView } from '../optimize/live-view.js';
import { summaryJson, summaryText } from '../optimize/summary.js';
import { formatProjection, projectionJson } from '../optimize/dry-run.js';
import { startDeadline } from '../deadline.js';
import { commandNotifier, parseNotifyUrls } from '../notify/command-notifier.js';
import { optimizeNotifications, type OptimizeNotifications } from '../notify/optimize-events.js';
import { describeRole, describeTarget } from '../describe-target.js';
import { fewHeldOutCasesWarning } from '../../dataset/select-split.js';

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
  /** What trace.jsonl records (default full). */
  trace?: TraceMode;
}

export async function optimizeCommand(file: string, options: OptimizeOptions, ctx: CommandEnv): Promise<number> {
  const { io, signal } = ctx;
  const warn = (message: string) => io.err(chalk.yellow(message));
  const failUnder = options.failUnder === undefined ? undefined : parseUnit('--fail-under', options.failUnder);
  const maxCostFlag = parseMaxCost(options.maxCost);
  const overrides = loopOverrides(options);
  const notifyUrls = parseNotifyUrls(options.notify);
  const deadline = startDeadline(signal, options.deadline);
  const quiet = Boolean(options.quiet) || Boolean(options.json);
  let view: ReturnType<typeof createLiveView> | undefined;
  let notifications: OptimizeNotifications | undefined;
  let runId: string | undefined;
  try {
    const task = await openOptimizeTask(
      file,
      { ...overrides, ...(maxCostFlag !== undefined ? { maxCostUsd: maxCostFlag } : {}), noCache: !options.cache, ...(options.trace ? { trace: options.trace } : {}), ...(options.resume ? { resume: options.resume } : {}), env: ctx.env, trustSpec: ctx.trustSpec, dryRun: Boolean(options.dryRun) },
      { warn, note: (message) => (quiet ? undefined : io.err(chalk.dim(message))), signal: deadline.signal },
    );
    const { spec, maxCostUsd } = task;
    if (!quiet) io.err(runHeader(task));
    const fewCases = fewHeldOutCasesWarning(task.cases);
    if (fewCases) warn(fewCases);
    if (options.dryRun) {
      const projection = await task.projection();
      const shown = { ...(maxCostUsd !== undefined ? { budget: maxCostUsd } : {}), missingKeys: task.missingKeys };
      if (options.json) io.out(JSON.stringify(projectionJson(spec.name, projection, shown)));
      else io.out(formatProjection(projection, shown));
      return EXIT.ok;
    }
    view = createLiveView({
      ...(io.isTTY && !options.json && io.errStream ? { stream: io.errStream } : {}),
      quiet,
      caller: task.caller,
      maxCostUsd,
      maxIterations: task.settings.maxIterations,
      validationIterations: task.settings.validationIterations,
      simulated: (['target', 'optimizer'] as const).filter((role) => task[role].simulated),
      write: (line) => io.err(line),
    });
    const onEvent = (event: OptimizeTaskEvent) => {
      if (event.type === 'run_opened') {
        runId = event.runId;
        if (event.announcement && !options.quiet) io.err(event.announcement);
        notifications = optimizeNotifications({
          notifier: commandNotifier(spec, notifyUrls, { warn, signal, env: ctx.env, scrub: task.scrub }),
          spec,
          runId: event.runId,
          report: runFile(event.runDir, 'markdown'),
          maxCostUsd,
          resumed: event.resumed,
        });
        return;
      }
      view?.onEvent(event);
      notifications?.onEvent(event);
    };
    let outcome;
    try {
      outcome = await task.run({ onEvent });
    } catch (error) {
      await notifications?.flush(); // a budget warning already on its way
      if (runId === undefined) throw error;
      const resumeHint = `checkpoint saved; continue with: ${ctx.invocation.command(['optimize', ctx.invocation.path(spec.file), '--resume', runId])}`;
      const late = deadline.explain(error, 'the run stopped before it finished', resumeHint);
      if (late !== error) throw late;
      if (error instanceof InterruptedError) throw new InterruptedError(resumeHint, error.stopSignal);
      throw withResumeHint(error, resumeHint);
    } finally {
      view.stop();
    }
    const { state } = outcome;
    const exitCode = failUnder !== undefined && (state.test?.score ?? 0) < failUnder ? EXIT.belowThreshold : EXIT.ok;
    if (!outcome.alreadyFinished) notifications?.finish(state, { versionFile: outcome.versionFile, spentUsd: outcome.spentUsd });
    const summary = { data: outcome.report, iterations: state.iterations.length, reportPaths: outcome.reportPaths, finalFile: outcome.versionFile, exitCode };
    if (options.json) io.out(JSON.stringify(summaryJson(summary)));
    else io.out(summaryText(summary, ctx.invocation));
    if (exitCode === EXIT.belowThreshold && !options.json) {
      io.err(
        chalk.red(
          state.test
            ? `held-out test score ${(state.test.score * 100).toFixed(1)}% of v${state.current.version} is below --fail-under ${(failUnder! * 100).toFixed(1)}%`
            : `no held-out test score (the run stopped: ${state.stopReason ?? 'unknown'}), so --fail-under ${(failUnder! * 100).toFixed(1)}% cannot pass`,
        ),
      );
    }
    await notifications?.flush();
    return exitCode;
  } finally {
    deadline.clear();
  }
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
function runHeader(task: OptimizeTask): string {
  const { spec, cases } = task;
  const splits = (['train', 'validation', 'test'] as const).map((split) => `${split} ${cases.filter((c) => c.split === split).length}`).join(', ');
  const judge = task.judge ? ` · ${describeRole('judge', task.judge, spec.judge)}` : '';
  return `promptopt optimize · ${spec.name} · ${cases.length} cases (${splits}) · target ${describeTarget(task.target)} · ${describeRole('optimizer', task.optimizer, spec.optimizer)}${judge}`;
}
