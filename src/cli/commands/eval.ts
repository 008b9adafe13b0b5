/**
 * `promptopt eval <task.yaml>`: score a prompt on a split and exit 0 (the objective, pass rate or
 * mean score, >= threshold), 1 (below),
 * 2 (bad input or usage) or 3 (a provider failure or an incomplete run), so CI can gate on it.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import chalk from 'chalk';
import { EXIT, UsageError, type MissingApiKeyError } from '../../errors.js';
import { selectSplit, assertSplitsNonEmpty } from '../../dataset/select-split.js';
import { redactWith } from '../../report/redact.js';
import { IncompleteEvalError, runEval } from '../../runner/run-eval.js';
import { requestShape } from '../../runner/render-request.js';
import { summaryFor } from '../../runner/summarize.js';
import type { SplitName } from '../../spec/types.js';
import { startDeadline, type Deadline } from '../deadline.js';
import { createProgressView } from '../progress.js';
import { openTaskSession } from '../../session/task-session.js';
import { formatPercent } from '../terminal.js';
import type { CommandEnv } from '../program/command-env.js';
import { caseJson, evalJsonHead, type CaseJson } from '../output/eval-json.js';
import { testcaseName, writeJunit } from '../output/junit.js';
import { STEP_SUMMARY_FAILING, stepSummaryMarkdown } from '../output/step-summary.js';
import { evalTable, failingCasesText, spendLine, TABLE_FAILING, uncheckedNote } from '../output/eval-table.js';
import { OBJECTIVE_LABELS, objectiveValue } from '../../runner/objective.js';
import { CaseSpool } from '../output/case-spool.js';
import { writeJsonDocument } from '../output/stream-json.js';
import { writeFileStreamed, writeToStdout } from '../output/text-sink.js';
import { checkPromptVariables } from '../check-prompt-variables.js';
import { noVariableWarning } from '../../spec/spec-warnings.js';
import { checkOutputFile } from '../check-output-file.js';
import { describeRole, describeTarget } from '../describe-target.js';
import { dryRunEstimate, formatDryRun, dryRunJson, missingKeyNote, missingKeysJson } from '../dry-run.js';
import { commandNotifier, parseNotifyUrls } from '../notify/command-notifier.js';
import { degradationEvent } from '../notify/eval-events.js';
import type { MappedRun } from '../../promptfoo/index.js';
import { PromptfooConfigError } from '../../spec/promptfoo-hint.js';
import { evalPromptfooConfig, type MappedVerdict } from './eval-promptfoo.js';
import { specChecks } from '../../runner/spec-checks.js';
import { existsSync } from 'node:fs';
import { readVersion } from '../../store/read-version.js';

export interface EvalOptions {
  prompt?: string;
  split: string;
  threshold?: string;
  json?: boolean;
  output?: string;
  junit?: string;
  concurrency?: string;
  cache: boolean;
  quiet?: boolean;
  dryRun?: boolean;
  /** Extra webhook URLs (--notify, repeatable), added to the spec's `notify.webhooks`. */
  notify?: string[];
  /** --deadline: stop and exit 3 when the run takes longer (e.g. 10m). */
  deadline?: string;
}

const SPLITS = ['train', 'validation', 'test', 'all'] as const;

export async function evalCommand(file: string, options: EvalOptions, ctx: CommandEnv): Promise<number> {
  const { io, signal } = ctx;
  const split = parseSplit(options.split);
  const threshold = options.threshold === undefined ? undefined : parseUnit('--threshold', options.threshold);
  const concurrency = options.concurrency === undefined ? undefined : parsePositiveInt('-j/--concurrency', options.concurrency);
  const warn = (message: string) => io.err(chalk.yellow(message));
  const notifyUrls = parseNotifyUrls(options.notify);
  const deadline = startDeadline(signal, options.deadline);
  const parsed = { split, threshold, concurrency, warn, notifyUrls, deadline };
  try {
    try {
      return await evaluate(file, options, ctx, parsed);
    } catch (error) {
      // The spec loader recognized a promptfoo config (before any call): read it as one.
      if (!(error instanceof PromptfooConfigError)) throw error;
      return await evalPromptfooConfig(file, options, ctx, warn, (run, onVerdict) => evaluate(file, options, ctx, parsed, { run, onVerdict }));
    }
  } finally {
    deadline.clear();
  }
}

interface ParsedEvalOptions {
  split: SplitName | 'all';
  threshold: number | undefined;
  concurrency: number | undefined;
  warn: (message: string) => void;
  notifyUrls: string[];
  deadline: Deadline;
}

/** One prompt × provider of a promptfoo config, mapped in memory (see src/promptfoo). */
interface MappedEval {
  run: MappedRun;
  onVerdict: (verdict: MappedVerdict) => void;
}

async function evaluate(file: string, options: EvalOptions, ctx: CommandEnv, parsed: ParsedEvalOptions, mapped?: MappedEval): Promise<number> {
  const { io, signal } = ctx;
  const { split, threshold, concurrency, warn, notifyUrls, deadline } = parsed;
  if (options.output) checkOutputFile(options.output, '--output');
  if (options.junit) checkOutputFile(options.junit, '--junit');
  if (ctx.env.GITHUB_STEP_SUMMARY) checkOutputFile(ctx.env.GITHUB_STEP_SUMMARY, 'GITHUB_STEP_SUMMARY');

  const missingKeys: MissingApiKeyError[] = [];
  const session = await openTaskSession(file, { ...(options.dryRun ? { deferMissingKey: (error: MissingApiKeyError) => missingKeys.push(error) } : {}), noCache: !options.cache, warn, concurrency, env: ctx.env, trustSpec: ctx.trustSpec, caller: { signal: deadline.signal, payer: { by: 'eval' } }, ...(mapped ? { specSource: mapped.run.source } : {}) });
  const { spec, caller } = session;
  // `--prompt v3` names a version (as compare --versions does) unless a file of that name is there.
  const version = options.prompt && /^v\d+$/.test(options.prompt) && !existsSync(resolve(options.prompt)) ? await readVersion(spec.versionsDir, Number(options.prompt.slice(1))) : undefined;
  const promptFile = version ? join(spec.versionsDir, version.meta.promptFile) : options.prompt ? resolve(options.prompt) : spec.prompt.file;
  const prompt = version ? version.text : options.prompt ? await readPromptFile(promptFile!) : spec.prompt.text;
  if (options.prompt) {
    checkPromptVariables(prompt, promptFile!, spec);
    for (const warning of noVariableWarning(spec, { text: prompt, file: promptFile })) warn(warning);
  }
  const cases = selectSplit(session.cases, split);
  if (split !== 'all') assertSplitsNonEmpty(spec, session.cases, [split]);

  const shape = requestShape(spec);
  const targetLabel = describeTarget(session.target);

  if (options.dryRun) {
    const estimate = await dryRunEstimate({ session, cases, prompt, shape });
    if (options.json) io.out(JSON.stringify({ ...dryRunJson(spec.name, estimate), missing_keys: missingKeysJson(missingKeys), ...(mapped ? { promptfoo: { prompt: mapped.run.prompt, provider: mapped.run.provider } } : {}) }));
    else io.out([formatDryRun(estimate, targetLabel), ...missingKeys.map(missingKeyNote)].join('\n'));
    return EXIT.ok;
  }

  if (!options.quiet && !options.json) {
    const judge = session.judge ? ` · ${describeRole('judge', session.judge, spec.judge)}` : '';
    const promptLabel = mapped ? ` · prompt "${mapped.run.prompt}"` : '';
    io.err(`promptopt eval · ${spec.name}${promptLabel} · ${cases.length} cases (${split}) · target ${targetLabel}${judge}`);
  }
  // Case results are not held in memory: each one becomes its record as it lands and goes to a spool
  // on disk (every case when a document lists them all, else only the failing ones the summaries show),
  // read back in the cases' order when the outputs are written.
  const listsEveryCase = Boolean(options.json || options.output || options.junit);
  const spool = new CaseSpool<CaseJson>(cases.length);
  const failed = new Uint8Array(cases.length);
  try {
    const progress = createProgressView('eval', io, { quiet: Boolean(options.quiet) });
    let result;
    try {
      result = await runEval({
        cases,
        prompt,
        ...specChecks(spec),
        target: session.target,
        judge: session.judge,
        caller,
        concurrency: concurrency ?? spec.concurrency,
        repeat: spec.repeat,
        onProgress: (p) => progress.update(p),
        signal: deadline.signal,
        keepCases: false,
        onCase: (caseResult, index) => {
          if (!caseResult.pass) failed[index] = 1;
          // Every output (stdout, --json, --output, --junit, the step summary) reads these records
          // with known keys removed: a key planted in a case or echoed by the model goes nowhere.
          if (listsEveryCase || !caseResult.pass) spool.put(index, redactWith(caseJson(caseResult), session.scrub));
        },
      });
    } catch (error) {
      const partial = error instanceof IncompleteEvalError ? error.partial.summaries.find((s) => s.split === 'all') : undefined;
      const scored = partial ? partial.total + partial.unchecked : 0;
      throw deadline.explain(error, `${scored} of ${cases.length} case(s) scored`, 'give the run more time, or run again: completed calls are served from the cache');
    } finally {
      progress.stop();
    }

    const overall = summaryFor(result.summaries, split)!;
    const all = summaryFor(result.summaries, 'all')!;
    const effectiveThreshold = threshold ?? spec.threshold;
    const score = objectiveValue(overall, spec.objective);
    const passed = score >= effectiveThreshold;
    const providerErrors = overall.providerErrors;
    // Every case unchecked (no assertion applies to any): no verdict on the prompt, a spec to fix.
    const nothingChecked = overall.total === 0 && overall.unchecked > 0;
    const exitCode = providerErrors > 0 ? EXIT.providerFailure : nothingChecked ? EXIT.badInput : passed ? EXIT.ok : EXIT.belowThreshold;
    const target = { provider: session.target.provider, model: session.target.modelId, simulated: session.target.simulated };
    mapped?.onVerdict({ score, passRate: overall.passRate, meanScore: overall.meanScore, exitCode });
    const head = redactWith(evalJsonHead(
      {
        task: spec.name,
        specFile: spec.file,
        promptFile,
        target,
        split,
        threshold: effectiveThreshold,
        objective: spec.objective,
        score,
        passed,
        exitCode,
        keys: session.keyLedger.snapshot(),
        spend: caller.ledger.snapshot(),
      },
      result,
      mapped ? { prompt: mapped.run.prompt, provider: mapped.run.provider } : undefined,
    ), session.scrub);
    const records = (include?: (index: number) => boolean) => spool.records(include);
    const failing = firstRecords(records((i) => failed[i] === 1), Math.max(STEP_SUMMARY_FAILING, TABLE_FAILING));

    if (options.output) await writeFileStreamed(resolve(options.output), async (sink) => {
      await writeJsonDocument(sink, head, 'cases', records(), { pretty: true });
      await sink.write('\n');
    });
    if (options.junit) {
      const byId = new Map(cases.map((c) => [c.id, c]));
      await writeFileStreamed(resolve(options.junit), (sink) =>
        writeJunit(sink, {
          task: spec.name,
          summaries: result.summaries,
          wallTimeMs: result.wallTimeMs,
          splits: splitsInOrder(cases),
          cases: (caseSplit) => records((i) => cases[i]!.split === caseSplit),
          // A case's input may hold a secret the run knows: the name is scrubbed like every output.
          nameOf: (id) => session.scrub(testcaseName(id, byId.get(id)?.vars)),
          gate: { objective: spec.objective, score, threshold: effectiveThreshold, passed, exitCode },
        }),
      );
    }
    const stepSummary = ctx.env.GITHUB_STEP_SUMMARY;
    if (stepSummary) {
      await appendFile(
        stepSummary,
        stepSummaryMarkdown({ task: spec.name, model: targetLabel, simulated: target.simulated, threshold: effectiveThreshold, score, objective: spec.objective, passed, providerErrors }, result.summaries, failing),
      );
    }

    // Below the threshold is news for the team (sent in the background); provider errors are no verdict on the prompt.
    const notifier = commandNotifier(spec, notifyUrls, { warn, signal, env: ctx.env, scrub: session.scrub });
    if (providerErrors === 0 && !passed && !nothingChecked) {
      const report = options.output ? resolve(options.output) : options.junit ? resolve(options.junit) : undefined;
      void notifier.send(await degradationEvent({ spec, prompt, promptFile, split, threshold: effectiveThreshold, summaries: result.summaries, target: `${target.provider}:${target.model}`, report }));
    }

    if (options.json) {
      await writeToStdout(io, async (sink) => {
        await writeJsonDocument(sink, head, 'cases', records(), { pretty: false });
        await sink.write('\n');
      });
    } else {
      io.out(evalTable(result.summaries, spec.objective));
      io.out(spendLine(caller.ledger.snapshot()));
      const unchecked = uncheckedNote(all.unchecked);
      if (unchecked) io.out(chalk.yellow(unchecked));
      const failingText = failingCasesText(failing, all.total - all.passed);
      if (failingText) io.out(`\n${failingText}`);
      io.out('');
      if (providerErrors > 0) {
        io.out(chalk.red(`ERROR: ${providerErrors} case(s) failed with provider errors after retries; the score is not a verdict on the prompt (exit 3).`));
      } else if (nothingChecked) {
        io.out(chalk.red(`ERROR: no case ${split === 'all' ? '' : `of the ${split} split `}was checked (${overall.unchecked} unchecked): there is nothing to gate on (exit 2).`));
      } else {
        const verdict = passed ? chalk.green('PASS') : chalk.red('FAIL');
        const cmp = passed ? '>=' : '<';
        io.out(`${verdict}: ${OBJECTIVE_LABELS[spec.objective]} ${formatPercent(score)} ${cmp} threshold ${formatPercent(effectiveThreshold)} · ${targetLabel}`);
      }
    }
    await notifier.flush();
    return exitCode;
  } finally {
    spool.close();
  }
}

/** The first `n` items of an iteration (stops reading there). */
function firstRecords<T>(items: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (out.length >= n) break;
    out.push(item);
  }
  return out;
}

/** Splits in the order their first case appears. */
function splitsInOrder(cases: readonly { split: SplitName }[]): SplitName[] {
  const seen: SplitName[] = [];
  for (const c of cases) if (!seen.includes(c.split)) seen.push(c.split);
  return seen;
}

function parseSplit(value: string): SplitName | 'all' {
  if ((SPLITS as readonly string[]).includes(value)) return value as SplitName | 'all';
  throw new UsageError(`--split must be one of ${SPLITS.join(', ')} (got "${value}")`);
}

export function parseUnit(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`${flag} must be a number from 0 to 1 (got "${value}")`);
  return n;
}

export function parsePositiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number >= 1 (got "${value}")`);
  return n;
}

async function readPromptFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`--prompt: cannot read ${path}`, 'give the path of a prompt template file');
  }
}
