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
      throw checkpointError(`no checkpoint in ${runDir}`, 'the run stopped before it started (nothing was spent): start a new run', error);
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
 * The folder of a run: `latest` (the newest run, see listRuns), a run id (a folder name under
 * `runsDir`), or a path to a run folder. RUN_NOT_FOUND (exit 2) otherwise.
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

export interface RunFolder {
  dir: string;
  name: string;
  /** Milliseconds: the checkpoint's startedAt, else the time in the run id, else the folder's mtime. */
  startedAt: number;
  /** False when the folder has no readable checkpoint (the newest run is then not skipped for an older one). */
  hasCheckpoint: boolean;
}

/** A run id: `YYYYMMDD-HHMMSS-xxxx` (UTC). */
const RUN_ID = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-[0-9a-f]+$/;

/**
 * The optimize runs under `runsDir`, newest first: folders holding a checkpoint, a trace or a spend
 * journal, or named like a run id (compare folders are not runs). A run whose checkpoint is
 * missing or unreadable is listed too, by the time in its id, so `latest` never silently falls
 * back to an older run.
 */
export async function listRuns(runsDir: string): Promise<RunFolder[]> {
  let names: string[];
  try {
    names = await readdir(runsDir);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    names = [];
  }
  const runs: RunFolder[] = [];
  for (const name of names) {
    const dir = join(runsDir, name);
    const files = await readdir(dir).catch(() => undefined);
    if (!files) continue;
    const isRun = RUN_ID.test(name) || files.includes(RUN_FILES.checkpoint) || files.includes(RUN_FILES.trace) || files.includes(RUN_FILES.spend);
    if (!isRun) continue;
    // A damaged checkpoint leaves the run listed by the time in its id: `latest` then names the damage.
    const found = files.includes(RUN_FILES.checkpoint) ? await checkpointStartedAt(dir) : undefined;
    const fromCheckpoint = found && 'startedAt' in found ? found.startedAt : undefined;
    // Without a readable start time, a run id only tells the second: count it as the end of that
    // second, so a damaged run is never ranked below a readable one started in the same second.
    const fromId = idTime(name);
    const startedAt = fromCheckpoint ?? (fromId !== undefined ? fromId + 999 : (await stat(dir)).mtimeMs);
    runs.push({ dir: resolve(dir), name, startedAt, hasCheckpoint: fromCheckpoint !== undefined });
  }
  return runs.sort((a, b) => b.startedAt - a.startedAt || (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
}

async function findLatestRun(runsDir: string): Promise<string> {
  const [newest] = await listRuns(runsDir);
  if (!newest) {
    throw new PromptoptError('RUN_NOT_FOUND', `no runs in ${runsDir}`, {
      exitCode: EXIT.badInput,
      hint: 'run `promptopt optimize` first',
    });
  }
  return newest.dir;
}

function idTime(name: string): number | undefined {
  const m = RUN_ID.exec(name);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : ms;
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
