/**
 * The folders under a runs folder that retention looks at, each with the time of its last activity:
 * optimize runs (as `listRuns` knows them) and compare folders (`compare-YYYYMMDD-HHMMSS[-n]`).
 * Anything else there is not promptopt's and is never looked at.
 *
 * A run's last activity is the newest of its data files' modification times (the trace and the
 * spend journal are appended to by every call, the checkpoint rewritten after every iteration, the
 * case results written at its end) and the start, stop and finish times its checkpoint records: a
 * run started long ago but resumed yesterday is recent. Its reports do not count: `promptopt report`
 * re-renders them from that data, which is no newer for it. Copying a folder without its times only
 * makes it look newer, never older.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { listRuns } from '../report/checkpoint.js';
import { RUN_FILES } from '../report/run-files.js';

export interface AgedFolder {
  dir: string;
  name: string;
  kind: 'run' | 'compare';
  /** ms since the epoch. */
  lastActivity: number;
  /** The spec the run's checkpoint names. */
  specFile?: string;
}

const COMPARE_FOLDER = /^compare-\d{8}-\d{6}(-\d+)?$/;

/** The files a run writes as it works (its reports are rendered from them). */
const RUN_DATA: readonly string[] = [RUN_FILES.trace, RUN_FILES.spend, RUN_FILES.checkpoint, RUN_FILES.cases];

export async function listAgedFolders(runsDir: string): Promise<AgedFolder[]> {
  const folders: AgedFolder[] = [];
  for (const run of await listRuns(runsDir)) {
    const recorded = await checkpointTimes(run.dir);
    folders.push({
      dir: run.dir,
      name: run.name,
      kind: 'run',
      lastActivity: Math.max(await newestFileTime(run.dir, RUN_DATA), ...recorded.times),
      ...(recorded.specFile !== undefined ? { specFile: recorded.specFile } : {}),
    });
  }
  const names = await readdir(runsDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => COMPARE_FOLDER.test(n))) {
    const dir = join(runsDir, name);
    if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) continue;
    folders.push({ dir, name, kind: 'compare', lastActivity: await newestFileTime(dir) });
  }
  return folders;
}

/**
 * The newest modification time of the files in `dir` (not its subfolders), among `only` when any of
 * those is there; the folder's own when it holds no file.
 */
async function newestFileTime(dir: string, only?: readonly string[]): Promise<number> {
  const files = (await readdir(dir, { withFileTypes: true }).catch(() => [])).filter((entry) => entry.isFile());
  const preferred = only ? files.filter((entry) => only.includes(entry.name)) : [];
  let newest = Number.NEGATIVE_INFINITY;
  for (const entry of preferred.length > 0 ? preferred : files) {
    const info = await stat(join(dir, entry.name)).catch(() => undefined);
    if (info) newest = Math.max(newest, info.mtimeMs);
  }
  return Number.isFinite(newest) ? newest : (await stat(dir)).mtimeMs;
}

/** The times a checkpoint records (start, stop, finish) and its spec; nothing when it is missing or unreadable. */
async function checkpointTimes(dir: string): Promise<{ times: number[]; specFile?: string }> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await readFile(join(dir, RUN_FILES.checkpoint), 'utf8')) as Record<string, unknown>;
  } catch {
    return { times: [] };
  }
  const times = ['startedAt', 'stoppedAt', 'finishedAt'].map((key) => (typeof raw[key] === 'string' ? Date.parse(raw[key]) : Number.NaN)).filter((ms) => !Number.isNaN(ms));
  return { times, ...(typeof raw.specFile === 'string' ? { specFile: raw.specFile } : {}) };
}
