/**
 * Finding the run `--resume` continues, and what state it is in: still running when it was killed
 * (the loop continues), stopped but not finished (its reports are written now), or finished (refused,
 * unless its reports are missing: then they are written).
 */
import { stat } from 'node:fs/promises';
import { basename, relative } from 'node:path';
import { EXIT, PromptoptError } from '../errors.js';
import type { RunState } from '../optimizer/types.js';
import { findRun, listRuns, readCheckpoint, runFile } from '../report/index.js';

export interface Resumable {
  state: RunState;
  runDir: string;
  /** What to tell the user about the pick (`latest` names the run it chose). */
  announcement: string;
}

export async function loadResumable(runsDir: string, idOrPath: string, fingerprint: string, specFile: string): Promise<Resumable> {
  const runDir = await findRun(runsDir, idOrPath);
  let state: RunState;
  try {
    state = await readCheckpoint(runDir);
  } catch (error) {
    if (idOrPath !== 'latest' || !(error instanceof PromptoptError)) throw error;
    throw await newestUnreadable(runsDir, runDir, error, specFile);
  }
  if (state.specHash !== fingerprint) {
    throw new PromptoptError('RESUME_SPEC_CHANGED', `cannot resume ${state.runId}: the task (prompt, target or cases) changed since the run started`, {
      hint: 'start a new run; the cache still serves every call that did not change',
    });
  }
  if (state.finishedAt && (await reportsWritten(runDir))) {
    throw new PromptoptError('RESUME_FINISHED', `run ${state.runId} already finished (${state.stopReason ?? 'done'})`, {
      hint: `see its report: ${runFile(runDir, 'markdown')}`,
    });
  }
  const where = state.finishedAt || state.stoppedAt ? `stopped (${state.stopReason ?? 'done'}); writing its reports` : `phase ${state.phase}, iteration ${state.iteration}`;
  const picked = idOrPath === 'latest' ? ` (latest: the newest run in ${relative(process.cwd(), runsDir) || runsDir}, started ${state.startedAt})` : '';
  return { state, runDir, announcement: `resuming run ${state.runId}${picked}: ${where}` };
}

/** True when the run's reports and case results are all on disk. */
export async function reportsWritten(runDir: string): Promise<boolean> {
  const files = (['markdown', 'json', 'html', 'cases'] as const).map((name) => runFile(runDir, name));
  const found = await Promise.all(files.map((file) => stat(file).then((s) => s.isFile(), () => false)));
  return found.every(Boolean);
}

/** The newest run cannot be resumed: say so, and name the next one that could be, instead of picking it silently. */
async function newestUnreadable(runsDir: string, runDir: string, error: PromptoptError, specFile: string): Promise<PromptoptError> {
  const older = (await listRuns(runsDir)).find((run) => run.dir !== runDir && run.hasCheckpoint);
  const spec = relative(process.cwd(), specFile) || specFile;
  const hint = older
    ? `the newest run cannot be resumed; to continue an older one, name it: promptopt optimize ${spec} --resume ${older.name}`
    : error.hint ?? 'start a new run';
  return new PromptoptError(error.code, `the newest run, ${basename(runDir)}, cannot be resumed: ${error.message}`, { exitCode: EXIT.badInput, hint, cause: error });
}
