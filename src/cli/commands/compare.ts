/**
 * `promptopt compare <task.yaml> --versions v3,v7[,file.md] [--models p:m,...]`: runs every
 * version × model pair over the same cases through the cached runner and prints them side by side,
 * each against the baseline with a paired significance test. Writes report.html and compare.json to
 * `<runsDir>/compare-<timestamp>/`. Exit 0; 1 with --fail-if-worse when a pair is significantly
 * worse than the baseline; 2 bad input; 3 provider failure.
 */
import chalk from 'chalk';
import { describeRole } from '../describe-target.js';
import { EXIT, UsageError } from '../../errors.js';
import { assertSplitsNonEmpty, selectSplit } from '../../dataset/select-split.js';
import { lookupPrice } from '../../providers/prices.js';
import type { ChatModel } from '../../providers/types.js';
import type { Spec, SplitName } from '../../spec/types.js';
import {
  buildComparison,
  claimCompareDir,
  compareDegradationEvent,
  compareFilePaths,
  compareJson,
  planPairs,
  renderCompareHtml,
  renderCompareText,
  resolveModels,
  resolveVersions,
  runPairs,
  writeCompareFiles,
  type CompareModel,
  type CompareSettings,
} from '../../compare/index.js';
import { DEFAULT_RESAMPLES } from '../../stats/paired-bootstrap.js';
import { checkPromptVariables } from '../check-prompt-variables.js';
import { redactWith } from '../../report/redact.js';
import { commandNotifier, parseNotifyUrls } from '../notify/command-notifier.js';
import { JSON_SCHEMA_VERSION } from '../output/json-schema-version.js';
import { createProgressView } from '../progress.js';
import { openSpecSession, usesJudge } from '../../session/task-session.js';
import type { CommandEnv } from '../program/command-env.js';
import { parsePositiveInt } from './eval.js';
import { specChecks } from '../../runner/spec-checks.js';

export interface CompareOptions {
  versions?: string;
  models?: string;
  baseline?: string;
  split: string;
  repeat?: string;
  alpha: string;
  minCases: string;
  resamples?: string;
  seed?: string;
  failIfWorse?: boolean;
  json?: boolean;
  concurrency?: string;
  cache: boolean;
  quiet?: boolean;
  notify?: string[];
}

const SPLITS = ['train', 'validation', 'test', 'all'] as const;

export async function compareCommand(file: string, options: CompareOptions, ctx: CommandEnv): Promise<number> {
  const { io, signal } = ctx;
  // Every flag is checked before anything is read or called.
  const split = parseSplit(options.split);
  const alpha = parseAlpha(options.alpha);
  const minCases = parsePositiveInt('--min-cases', options.minCases);
  const repeatFlag = options.repeat === undefined ? undefined : parsePositiveInt('--repeat', options.repeat);
  const concurrency = options.concurrency === undefined ? undefined : parsePositiveInt('-j/--concurrency', options.concurrency);
  const resamples = options.resamples === undefined ? DEFAULT_RESAMPLES : parsePositiveInt('--resamples', options.resamples);
  const seed = options.seed === undefined ? 0 : parseSeed(options.seed);
  const notifyUrls = parseNotifyUrls(options.notify);
  const warn = (message: string) => io.err(chalk.yellow(message));

  const session = await openSpecSession(file, { noCache: !options.cache, warn, concurrency, env: ctx.env, trustSpec: ctx.trustSpec, caller: { signal, payer: { by: 'compare' } } });
  const { spec, caller, scrub } = session;
  if (split !== 'all') assertSplitsNonEmpty(spec, session.cases, [split], 'compare');
  const cases = selectSplit(session.cases, split);
  const versions = await resolveVersions(options.versions ?? 'current', spec, (text, path) => checkPromptVariables(text, path, spec));
  const models = resolveModels(options.models, spec.target);
  const plan = planPairs(versions, models, options.baseline);
  checkBudgetPrices(spec, models);
  const settings: CompareSettings = { objective: spec.objective, alpha, minCases, resamples, seed, repeat: repeatFlag ?? spec.repeat };

  // Models and judge: built before the first call (a missing key is exit 2 here).
  const workers = session.workers;
  const chatModels = new Map<string, ChatModel>(models.map((m) => [m.label, session.model(m.config, 'target')]));
  const judge = usesJudge(spec) ? session.model(spec.judge, 'judge') : undefined;

  if (!options.quiet && !options.json) {
    io.err(
      `promptopt compare · ${spec.name} · ${cases.length} cases (${split}) · ${versions.length} version(s) × ${models.length} model(s) · baseline ${plan.baseline.id}` +
        (judge ? ` · ${describeRole('judge', judge, spec.judge)}` : ''),
    );
    if (split !== 'test') {
      io.err(chalk.dim(`note: the ${split} split includes cases an optimizer may have tuned on; --split test gives an unbiased verdict`));
    }
  }
  const started = performance.now();
  const progress = createProgressView('compare', io, { quiet: Boolean(options.quiet || options.json) });
  let runs;
  try {
    runs = await runPairs({
      plan,
      cases,
      models: chatModels,
      judge,
      caller,
      ...specChecks(spec),
      concurrency: workers,
      repeat: settings.repeat,
      onProgress: (p) => progress.update(p),
      signal,
    });
  } finally {
    progress.stop();
  }
  // compare.json, report.html, stdout and webhooks all read results with known keys removed.
  // (Only the results are copied: the comparison matches runs to the plan's pairs by identity.)
  runs = runs.map((run) => ({ ...run, result: redactWith(run.result, scrub) }));

  const comparison = buildComparison({ task: spec.name, specFile: spec.file, split, plan, runs, settings });
  const providerErrors = comparison.pairs.reduce((n, p) => n + p.providerErrors, 0);
  const worse = comparison.comparisons.filter((c) => c.verdict === 'worse');
  const exitCode = providerErrors > 0 ? EXIT.providerFailure : options.failIfWorse && worse.length > 0 ? EXIT.belowThreshold : EXIT.ok;

  const now = new Date();
  const files = compareFilePaths(await claimCompareDir(spec.runsDir, now));
  const document = compareJson(comparison, { schemaVersion: JSON_SCHEMA_VERSION, exitCode, files, spend: caller.ledger.snapshot(), wallTimeMs: performance.now() - started });
  await writeCompareFiles(files, renderCompareHtml(comparison, now), document);

  // A significantly worse pair is news for the team (in the background); provider errors are no verdict.
  const notifier = commandNotifier(spec, notifyUrls, { warn, signal, env: ctx.env, scrub });
  const degradation = providerErrors === 0 ? compareDegradationEvent(comparison, files.html) : undefined;
  if (degradation) void notifier.send(degradation);

  if (options.json) {
    io.out(JSON.stringify(document));
  } else {
    io.out(renderCompareText(comparison));
    io.out('');
    if (providerErrors > 0) {
      io.out(chalk.red(`ERROR: ${providerErrors} case result(s) failed with provider errors after retries; they are left out of the paired tests (exit 3).`));
    } else if (worse.length > 0) {
      const verdict = options.failIfWorse ? chalk.red('FAIL') : chalk.yellow('WORSE');
      io.out(`${verdict}: ${worse.map((c) => c.candidate).join(', ')} significantly worse than ${comparison.baseline}`);
    }
    io.out(`report: ${files.html}`);
  }
  await notifier.flush();
  return exitCode;
}

/** A budget can only be enforced when every compared model has a known price (like the spec's own rule). */
function checkBudgetPrices(spec: Spec, models: CompareModel[]): void {
  if (!spec.budget) return;
  const unpriced = models.filter((m) => m.config.price === undefined && lookupPrice(m.config.provider, m.config.model) === undefined);
  if (unpriced.length === 0) return;
  throw new UsageError(
    `budget.max_cost_usd needs known prices, but ${unpriced.map((m) => m.label).join(', ')} ${unpriced.length > 1 ? 'have' : 'has'} no known price`,
    'compare models with known prices, give the spec\'s target a price (it applies to the target model only), or remove the budget',
  );
}

function parseSplit(value: string): SplitName | 'all' {
  if ((SPLITS as readonly string[]).includes(value)) return value as SplitName | 'all';
  throw new UsageError(`--split must be one of ${SPLITS.join(', ')} (got "${value}")`);
}

function parseAlpha(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) throw new UsageError(`--alpha must be a number between 0 and 1, exclusive (got "${value}")`, 'e.g. --alpha 0.05');
  return n;
}

function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--seed must be a whole number >= 0 (got "${value}")`);
  return n;
}
