/**
 * `cache verify`: the cheap check, then every entry read and parsed in a child process (so damage
 * cannot crash the command), reported without changing anything: the damaged database stays where
 * it is for the user to look at (the next command that uses the cache moves it aside).
 */
import { lstat } from 'node:fs/promises';
import { withFileLock } from '../../util/file-lock.js';
import { cachePaths, GUARD_LOCK } from './cache-paths.js';
import { inspectCacheFiles } from './inspect-cache-files.js';
import { stampMatches } from './clean-close-stamp.js';
import { walkCacheEntries } from './walk-cache-entries.js';
import { listAsideCopies, sizeOf } from './move-aside.js';

export type CacheState = 'healthy' | 'absent' | 'damaged' | 'unusable';

export interface CacheVerification {
  dir: string;
  state: CacheState;
  /** Entries read back whole; null when the database could not be read. */
  entries: number | null;
  bytes: number;
  problems: string[];
  /** The file is byte for byte what a process closed cleanly; null without a database file. */
  closedCleanly: boolean | null;
  damagedCopies: string[];
}

export async function verifyCache(dir: string): Promise<CacheVerification> {
  const paths = cachePaths(dir);
  const base = { dir, bytes: await sizeOf(dir), damagedCopies: await listAsideCopies(dir) };
  if (!(await lstat(dir).catch(() => undefined))) {
    return { ...base, state: 'absent', entries: 0, problems: [], closedCleanly: null };
  }
  return withFileLock(
    paths.guard,
    async (): Promise<CacheVerification> => {
      const found = await inspectCacheFiles(paths);
      if (found.state === 'absent') return { ...base, state: 'absent', entries: 0, problems: [], closedCleanly: null };
      if (found.state === 'unusable') return { ...base, state: 'unusable', entries: null, problems: [found.problem], closedCleanly: null };
      if (found.state === 'damaged') return { ...base, state: 'damaged', entries: null, problems: [found.problem], closedCleanly: null };
      if (!found.data) return { ...base, state: 'healthy', entries: 0, problems: [], closedCleanly: null };
      const closedCleanly = await stampMatches(paths, found.data);
      const walk = await walkCacheEntries(paths.database, 'values', found.data.size);
      if (!walk.ok) return { ...base, state: 'damaged', entries: null, problems: [walk.problem], closedCleanly };
      const problems = walk.unreadable > 0 ? [`${walk.unreadable} of ${walk.entries} entries hold values that are not cache entries`] : [];
      return { ...base, state: problems.length ? 'damaged' : 'healthy', entries: walk.entries, problems, closedCleanly };
    },
    GUARD_LOCK,
  );
}
