/**
 * `promptopt prune` as a library call: deletes what holds user data and is older than a cutoff.
 *   - optimize runs (trace, spend journal, checkpoint, case results, reports) and compare folders,
 *     aged by their last activity (run-folders.ts);
 *   - response cache entries, aged by the write time each records (runner/cache/prune-entries.ts);
 *   - damaged cache copies moved aside, aged by the time in their name.
 * Kept: the versions (`prompt-versions/`, never deleted here: they are the task's history) and, for
 * a run that made a version, its reports and checkpoint (the version's reports; `versionReports`
 * deletes them too): only its trace, spend journal and case results go. Cases files (imported ones
 * included) and splits files are never touched. `dryRun` computes the same and deletes nothing.
 * `now` is injected so callers (and tests) decide the clock.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { RUN_FILES } from '../report/run-files.js';
import { compactCache, type Compaction } from '../runner/cache/compact-cache.js';
import { GuardedDatabase } from '../runner/cache/guarded-database.js';
import { listAsideCopies, sizeOf } from '../runner/cache/move-aside.js';
import { ageCacheEntries, cacheSpace, deleteCacheEntries, type CacheSpace } from '../runner/cache/prune-entries.js';
import { listAgedFolders, type AgedFolder } from './run-folders.js';
import { VersionRuns, type MadeVersion } from './version-runs.js';

export interface PruneInput {
  runsDir: string;
  cacheDir: string;
  versionsDir: string;
  /** The spec prune was given (its runs use `versionsDir`). */
  specFile?: string;
  olderThanMs: number;
  now: number;
  dryRun: boolean;
  /** Also delete the reports and checkpoint of runs that made a version. */
  versionReports: boolean;
  /** Rewrite the cache file to its live entries after deleting (not on a dry run). */
  compact: boolean;
  warn: (message: string) => void;
}

/** The files a run that made a version loses; its reports and checkpoint stay. */
const VERSION_RUN_DATA = [RUN_FILES.trace, RUN_FILES.spend, RUN_FILES.cases] as const;

export interface PrunedFolder {
  name: string;
  dir: string;
  kind: AgedFolder['kind'];
  lastActivity: number;
  /** `folder`: deleted whole; `data`: a version's run, its trace, spend journal and case results only. */
  scope: 'folder' | 'data';
  /** With scope `data`: the files deleted. */
  files?: string[];
  bytes: number;
  madeVersion?: MadeVersion;
}

export interface PruneResult {
  cutoff: number;
  dryRun: boolean;
  runsDir: string;
  pruned: PrunedFolder[];
  /** Folders younger than the cutoff. */
  recent: number;
  /** Old runs that made a version and have nothing left to delete but their reports. */
  versionReportsKept: string[];
  cache: CachePruned;
  damagedCopies: { path: string; bytes: number }[];
  /** Bytes deleted from disk: folders, files, damaged copies, and what compaction gave back. */
  bytesFreed: number;
}

export interface CachePruned {
  dir: string;
  /** False when there is no cache. */
  present: boolean;
  entries: number;
  /** Entries deleted (or, on a dry run, that would be). */
  deleted: number;
  /** Their keys' and values' bytes: freed inside the file, not on disk unless compacted. */
  deletedBytes: number;
  /** Entries recording no write time: kept. */
  undated: number;
  before?: CacheSpace;
  after?: CacheSpace;
  compaction?: Compaction;
}

export async function prune(input: PruneInput): Promise<PruneResult> {
  const cutoff = input.now - input.olderThanMs;
  const versions = new VersionRuns({ versionsDir: input.versionsDir, ...(input.specFile !== undefined ? { specFile: input.specFile } : {}) });
  const result: PruneResult = {
    cutoff,
    dryRun: input.dryRun,
    runsDir: input.runsDir,
    pruned: [],
    recent: 0,
    versionReportsKept: [],
    cache: { dir: input.cacheDir, present: false, entries: 0, deleted: 0, deletedBytes: 0, undated: 0 },
    damagedCopies: [],
    bytesFreed: 0,
  };

  for (const folder of await listAgedFolders(input.runsDir)) {
    if (folder.lastActivity >= cutoff) {
      result.recent += 1;
      continue;
    }
    const planned = await planFolder(folder, versions, input.versionReports);
    if (!planned) {
      result.versionReportsKept.push(folder.name);
      continue;
    }
    if (!input.dryRun) {
      if (planned.scope === 'folder') await rm(folder.dir, { recursive: true, force: true });
      else for (const name of planned.files ?? []) await rm(join(folder.dir, name), { force: true });
    }
    result.pruned.push(planned);
    result.bytesFreed += planned.bytes;
  }

  result.cache = await pruneCache(input, cutoff);
  const { compaction } = result.cache;
  if (compaction?.compacted) result.bytesFreed += Math.max(0, compaction.bytesBefore - compaction.bytesAfter);

  for (const path of await listAsideCopies(input.cacheDir)) {
    const at = asideTime(path);
    if (at === undefined || at >= cutoff) continue;
    const bytes = await sizeOf(path);
    if (!input.dryRun) await rm(path, { recursive: true, force: true });
    result.damagedCopies.push({ path, bytes });
    result.bytesFreed += bytes;
  }
  return result;
}

/** What goes of an old folder; undefined when nothing may (a version's run already reduced to its reports). */
async function planFolder(folder: AgedFolder, versions: VersionRuns, versionReports: boolean): Promise<PrunedFolder | undefined> {
  const base = { name: folder.name, dir: folder.dir, kind: folder.kind, lastActivity: folder.lastActivity };
  if (folder.kind === 'compare') return { ...base, scope: 'folder', bytes: await sizeOf(folder.dir) };
  const madeVersion = await versions.madeVersion(folder.name, folder.specFile);
  if (madeVersion === 'no' || versionReports) return { ...base, scope: 'folder', bytes: await sizeOf(folder.dir), madeVersion };
  const present = new Set(await readdir(folder.dir).catch(() => [] as string[]));
  const files = VERSION_RUN_DATA.filter((name) => present.has(name));
  if (files.length === 0) return undefined;
  let bytes = 0;
  for (const name of files) bytes += (await stat(join(folder.dir, name)).catch(() => undefined))?.size ?? 0;
  return { ...base, scope: 'data', files, bytes, madeVersion };
}

async function pruneCache(input: PruneInput, cutoff: number): Promise<CachePruned> {
  const db = new GuardedDatabase(input.cacheDir, input.warn);
  try {
    const age = await ageCacheEntries(db, cutoff);
    if (!age) return { dir: input.cacheDir, present: false, entries: 0, deleted: 0, deletedBytes: 0, undated: 0 };
    const pruned: CachePruned = {
      dir: input.cacheDir,
      present: true,
      entries: age.entries,
      deleted: age.old.length,
      deletedBytes: age.oldBytes,
      undated: age.undated,
      before: age.space,
    };
    if (input.dryRun) return pruned;
    if (age.old.length > 0) {
      const gone = await deleteCacheEntries(db, age.old, cutoff);
      pruned.deleted = gone.deleted;
      pruned.deletedBytes = gone.bytes;
    }
    pruned.after = await cacheSpace(db);
    if (input.compact) {
      pruned.compaction = await compactCache(db);
      if (pruned.compaction.compacted) pruned.after = { ...pruned.after, fileBytes: pruned.compaction.bytesAfter, freeBytes: Math.max(0, pruned.compaction.bytesAfter - pruned.after.usedBytes) };
    }
    return pruned;
  } finally {
    await db.close();
  }
}

/** The UTC time in a moved-aside copy's name (`<cache>.damaged-20250601T101500Z[-n]`). */
function asideTime(path: string): number | undefined {
  const match = /\.damaged-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:-\d+)?$/.exec(basename(path));
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return Number.isNaN(ms) ? undefined : ms;
}
