/**
 * `cache clear`: deletes the database and the damaged copies moved aside earlier, whatever state
 * they are in. Nothing is mapped or opened with LMDB (the entry count comes from the header when it
 * is readable), so no damage can crash it. A file (not a folder) where the cache folder should be
 * is not promptopt's to delete: it is moved aside like any damage.
 */
import { lstat, rm } from 'node:fs/promises';
import { PromptoptError, EXIT } from '../../errors.js';
import { withFileLock } from '../../util/file-lock.js';
import { cachePaths, GUARD_LOCK } from './cache-paths.js';
import { inspectCacheFiles } from './inspect-cache-files.js';
import { listAsideCopies, moveAside, removeAsideCopies } from './move-aside.js';

export interface ClearedCache {
  dir: string;
  /** Entries deleted, as the header recorded them; null when the header was unreadable. */
  entries: number | null;
  /** What was wrong with the cache, when something was. */
  problem?: string;
  /** Where a non-folder found at the cache path was moved. */
  movedAside?: string;
  /** Damaged copies deleted. */
  removedCopies: string[];
}

export async function clearCache(dir: string): Promise<ClearedCache> {
  const paths = cachePaths(dir);
  const copies = await listAsideCopies(dir);
  if (!(await lstat(dir).catch(() => undefined))) {
    await removeAsideCopies(copies);
    return { dir, entries: 0, removedCopies: copies };
  }
  return withFileLock(
    paths.guard,
    async () => {
      const found = await inspectCacheFiles(paths);
      const result: ClearedCache = { dir, entries: 0, removedCopies: copies };
      if (found.state === 'unusable') throw cannotClear(dir, found.problem);
      if (found.state === 'damaged') {
        result.problem = found.problem;
        result.entries = null;
        if (found.target === dir) result.movedAside = await moveAside(dir, dir);
      } else if (found.state === 'ok') {
        result.entries = found.data?.header.meta.main.entries ?? 0;
      }
      try {
        if (!result.movedAside) await rm(paths.database, { recursive: true, force: true });
        await removeAsideCopies(copies);
      } catch (error) {
        throw cannotClear(dir, (error as Error).message);
      }
      return result;
    },
    GUARD_LOCK,
  );
}

function cannotClear(dir: string, problem: string): PromptoptError {
  return new PromptoptError('CACHE_CLEAR_FAILED', `could not clear the response cache ${dir}: ${problem}`, {
    exitCode: EXIT.badInput,
    hint: 'check the folder\'s permissions, or delete it by hand',
  });
}
