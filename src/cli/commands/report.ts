/**
 * `promptopt report <run|latest> [task.yaml] [--open | --path]`: re-renders a run's reports (report.md,
 * report.json, report.html) from its checkpoint and its saved case results (`cases.json`), without
 * a model call. With a spec the run is looked up in the spec's runs folder; without one the argument
 * is a run folder (or an id / `latest` under ./.promptopt/runs), and the spec the run recorded
 * supplies the task's name and models. `--open` opens report.html in the desktop's browser (printing
 * its path when there is none); `--path` prints only its path.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import chalk from 'chalk';
import { EXIT, PromptoptError } from '../../errors.js';
import { resolveSplits } from '../../dataset/resolve-splits.js';
import { specFingerprint } from '../../optimizer/engine.js';
import { findRun, listRuns, readCaseRecords, readCheckpoint, runFile } from '../../report/index.js';
import { foldJournal, readJournal } from '../../runner/spend-journal.js';
import { loadSpec } from '../../session/load-spec.js';
import { DEFAULT_RUNS_DIR } from '../../spec/normalize.js';
import type { Spec } from '../../spec/types.js';
import { modelRefOf, writeRunReports } from '../../workflows/run-reports.js';
import { openInBrowser } from '../open-in-browser.js';
import { commandSecrets } from '../../session/command-secrets.js';
import type { CommandEnv } from '../program/command-env.js';

export interface ReportOptions {
  /** Open report.html in the desktop's browser (print its path when there is none). */
  open?: boolean;
  /** Print only report.html's path. */
  path?: boolean;
}

export async function reportCommand(run: string, file: string | undefined, options: ReportOptions, ctx: CommandEnv): Promise<number> {
  const { io } = ctx;
  const given = file ? await loadSpec(file, { env: offlineEnv(ctx.env), trustSpec: ctx.trustSpec, checkAssertions: false }) : undefined;
  const runsDir = given?.runsDir ?? resolve(DEFAULT_RUNS_DIR);
  const runDir = await findRun(runsDir, run);
  const state = await readCheckpoint(runDir).catch(async (error: unknown) => {
    if (run !== 'latest' || !(error instanceof PromptoptError)) throw error;
    // The newest run is damaged: name an older readable one rather than render it silently.
    const older = (await listRuns(runsDir)).find((r) => r.dir !== runDir && r.hasCheckpoint);
    if (!older) throw error;
    throw new PromptoptError(error.code, error.message, { exitCode: error.exitCode, hint: `it may be the latest run: pass a run id instead of latest (e.g. ${older.name}), or move the damaged run folder away`, cause: error });
  });
  const spec = given ?? (await loadRunSpec(state.specFile, run, ctx));
  // Splits the file no longer allows (other settings, a damaged file) count as a changed task here.
  const current = await resolveSplits(spec, { record: false }).catch((error: unknown) => {
    if (error instanceof PromptoptError) return undefined;
    throw error;
  });
  if (!current || specFingerprint({ spec, cases: current.cases }) !== state.specHash) {
    io.err(chalk.yellow(`warning: the task in ${spec.file} changed since run ${state.runId}; the reports name its current task and models`));
  }
  // The spend journal is exact (calls after the last checkpoint included); the checkpoint's copy is the fallback.
  const journaled = foldJournal(readJournal(runFile(runDir, 'spend')).records);
  if (journaled.length > 0) state.spend = journaled;
  const cases = await readCaseRecords(runDir);
  const { paths } = await writeRunReports({
    state,
    spec,
    target: modelRefOf(spec.target),
    optimizerModel: modelRefOf(spec.optimizer),
    runDir,
    ...(cases ? { cases } : {}),
    secrets: commandSecrets(ctx.env, spec),
  });
  if (options.path) {
    io.out(paths.html);
  } else if (options.open) {
    const opened = await openInBrowser(paths.html, { env: ctx.env });
    if (opened.opened) {
      io.out(`opened ${paths.html} in the browser (${opened.command})`);
    } else {
      io.out(paths.html);
      io.err(chalk.yellow(`note: not opened: ${opened.reason}; open the path above in a browser`));
    }
  } else {
    io.out(`re-rendered the reports of run ${state.runId}${cases ? '' : ' (no cases.json: without the case table)'}`);
    if (!state.finishedAt) {
      const how = state.stoppedAt ? 'it stopped before its reports were written' : 'it has not stopped (killed or still running)';
      io.err(chalk.yellow(`note: run ${state.runId} is not finished (${how}); \`promptopt optimize <task.yaml> --resume ${state.runId}\` finishes it`));
    }
    io.out(`  markdown: ${paths.markdown}\n  json:     ${paths.json}\n  html:     ${paths.html}`);
  }
  return EXIT.ok;
}

/** The spec the run was started with; a clear error when it is gone. */
async function loadRunSpec(specFile: string, run: string, ctx: Pick<CommandEnv, 'env' | 'trustSpec'>): Promise<Spec> {
  const found = await stat(specFile).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!found) {
    throw new PromptoptError('RUN_SPEC_NOT_FOUND', `the spec of this run (${specFile}) is gone`, {
      exitCode: EXIT.badInput,
      hint: `pass the task spec: promptopt report ${run} <task.yaml>`,
    });
  }
  return loadSpec(specFile, { env: offlineEnv(ctx.env), trustSpec: ctx.trustSpec, checkAssertions: false });
}

/**
 * The environment to validate the spec in: re-rendering calls no model, so an endpoint the spec
 * would need to run (OPENAI_BASE_URL for `openai-compatible`) need not be set.
 */
function offlineEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, OPENAI_BASE_URL: env.OPENAI_BASE_URL || 'unused-by-report' };
}
