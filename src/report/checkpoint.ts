/**
 * The run checkpoint (`checkpoint.json`, the RunState after every iteration) and finding a run
 * folder by id, path or `latest`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { PromptoptError, EXIT } from '../errors.js';
import type { RunState } from '../optimizer/types.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { RUN_FILES, runFile } from './run-files.js';

export async function writeCheckpoint(runDir: string, state: RunState): Promise<void> {
  await writeFileAtomic(runFile(runDir, 'checkpoint'), `${JSON.stringify(state, null, 2)}\n`);
}

/** The checkpointed state; CHECKPOINT_INVALID (exit 2) when it is missing, corrupt or of an unknown schema. */
export async function readCheckpoint(runDir: string): Promise<RunState> {
  const file = runFile(runDir, 'checkpoint');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isNotFound(error)) {
      throw checkpointError(`no checkpoint in ${runDir}`, 'the run stopped before its first checkpoint: start a new run', error);
    }
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw checkpointError(`corrupt checkpoint ${file}: not valid JSON`, 'start a new run; this one cannot be resumed', error);
  }
  const problem = checkpointProblem(raw);
  if (problem) throw checkpointError(`invalid checkpoint ${file}: ${problem}`, 'start a new run, or resume with the promptopt version that wrote it');
  return raw as RunState;
}

/** What makes `raw` unusable as a RunState, or undefined. A shape check, not a full validation. */
function checkpointProblem(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'not a JSON object';
  const state = raw as Record<string, unknown>;
  if (state.schemaVersion !== 1) return `unknown schema version ${JSON.stringify(state.schemaVersion)} (expected 1)`;
  for (const key of ['runId', 'specFile', 'specHash', 'startedAt', 'phase', 'strategy'] as const) {
    if (typeof state[key] !== 'string') return `${key} is missing`;
  }
  for (const key of ['iterations', 'spend', 'constraints'] as const) {
    if (!Array.isArray(state[key])) return `${key} is missing`;
  }
  for (const key of ['start', 'current', 'memory'] as const) {
    if (typeof state[key] !== 'object' || state[key] === null) return `${key} is missing`;
  }
  return undefined;
}

function checkpointError(message: string, hint: string, cause?: unknown): PromptoptError {
  return new PromptoptError('CHECKPOINT_INVALID', message, { exitCode: EXIT.badInput, hint, cause });
}

/**
 * The folder of a run: `latest` (the run whose checkpoint started most recently), a run id (a
 * folder name under `runsDir`), or a path to a run folder. RUN_NOT_FOUND (exit 2) otherwise.
 */
export async function findRun(runsDir: string, idOrPath: string): Promise<string> {
  if (idOrPath === 'latest') return findLatestRun(runsDir);
  const looksLikePath = isAbsolute(idOrPath) || /[/\\]/.test(idOrPath) || idOrPath === '.' || idOrPath === '..';
  const candidates = looksLikePath ? [resolve(idOrPath)] : [join(runsDir, idOrPath), resolve(idOrPath)];
  for (const dir of candidates) {
    if (await isDirectory(dir)) return resolve(dir);
  }
  throw new PromptoptError('RUN_NOT_FOUND', `no run "${idOrPath}" in ${runsDir}`, {
    exitCode: EXIT.badInput,
    hint: 'pass a run id (a folder name under the runs folder), a path to a run folder, or `latest`',
  });
}

async function findLatestRun(runsDir: string): Promise<string> {
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    names = [];
  }
  let best: { dir: string; startedAt: number; name: string; modifiedMs: number } | undefined;
  let damaged: { file: string; problem: string; modifiedMs: number } | undefined;
  for (const name of names) {
    const dir = join(runsDir, name);
    const found = await checkpointStartedAt(dir);
    if (found === undefined) continue;
    if ('problem' in found) {
      if (!damaged || found.modifiedMs > damaged.modifiedMs) damaged = found;
      continue;
    }
    const { startedAt, modifiedMs } = found;
    if (!best || startedAt > best.startedAt || (startedAt === best.startedAt && name > best.name)) {
      best = { dir, startedAt, name, modifiedMs };
    }
  }
  // A damaged checkpoint newer than every readable one may be the latest run: name it rather than guess.
  if (damaged && (!best || damaged.modifiedMs > best.modifiedMs)) {
    throw checkpointError(
      `corrupt checkpoint ${damaged.file}: ${damaged.problem}`,
      best ? `it may be the latest run: pass a run id instead of latest (e.g. ${best.name}), or move the damaged run folder away` : 'start a new run; this one cannot be resumed',
    );
  }
  if (!best) {
    throw new PromptoptError('RUN_NOT_FOUND', `no runs with a checkpoint in ${runsDir}`, {
      exitCode: EXIT.badInput,
      hint: 'run `promptopt optimize` first',
    });
  }
  return resolve(best.dir);
}

/**
 * The checkpoint's startedAt (ms) and when the file was last written; `problem` when the file is
 * there but unreadable (corrupt JSON, no startedAt); undefined when the folder has no checkpoint.
 */
async function checkpointStartedAt(
  dir: string,
): Promise<{ startedAt: number; modifiedMs: number } | { file: string; problem: string; modifiedMs: number } | undefined> {
  const file = join(dir, RUN_FILES.checkpoint);
  let text: string;
  let modifiedMs: number;
  try {
    [text, modifiedMs] = await Promise.all([readFile(file, 'utf8'), stat(file).then((s) => s.mtimeMs)]);
  } catch {
    return undefined;
  }
  let raw: { startedAt?: unknown };
  try {
    raw = JSON.parse(text) as { startedAt?: unknown };
  } catch {
    return { file, problem: 'not valid JSON', modifiedMs };
  }
  const ms = typeof raw?.startedAt === 'string' ? Date.parse(raw.startedAt) : Number.NaN;
  return Number.isNaN(ms) ? { file, problem: 'no valid startedAt', modifiedMs } : { startedAt: ms, modifiedMs };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
