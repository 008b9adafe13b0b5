/**
 * Shrinking the cache's file to its live entries (`prune --compact`): LMDB writes a compacted copy
 * of the database (`backup(path, true)`: only the pages in use, renumbered), which then replaces the
 * folder. All of it happens under the cache's lock, so no process opens the cache meanwhile.
 *
 * A process that already has the cache open keeps its memory map of the old file: what it wrote after
 * the copy would be lost (cache entries only, but paid for). So compaction is skipped, with the reason,
 * when LMDB's reader table names another live process; a process that opened the cache and has not
 * read from it yet is not in that table, a narrow window documented in the README.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { withFileLock } from '../../util/file-lock.js';
import { GUARD_LOCK } from './cache-paths.js';
import { writeStamp } from './clean-close-stamp.js';
import type { GuardedDatabase } from './guarded-database.js';
import { inspectCacheFiles } from './inspect-cache-files.js';

export type Compaction = { compacted: true; bytesBefore: number; bytesAfter: number } | { compacted: false; reason: string };

/** Compacts the open cache `db` and closes it (it must not be used afterwards). */
export async function compactCache(db: GuardedDatabase): Promise<Compaction> {
  const { paths } = db;
  // Opened (and checked) before the lock is taken: opening takes the same lock.
  const opened = await db.read((d) => d.readerCheck());
  if (opened === undefined) return { compacted: false, reason: 'there is no cache' };
  return withFileLock(
    paths.guard,
    async (): Promise<Compaction> => {
      const others = (await db.read((d) => otherReaders(d.readerList()))) ?? [];
      if (others.length > 0) return { compacted: false, reason: `another process has the cache open (pid ${others.join(', ')}); run prune --compact when no promptopt command is running` };
      const before = await inspectCacheFiles(paths);
      const bytesBefore = before.state === 'ok' ? (before.data?.size ?? 0) : 0;
      const copy = `${paths.database}.compacting-${process.pid}`;
      const replaced = `${paths.database}.replaced-${process.pid}`;
      await rm(copy, { recursive: true, force: true });
      await mkdir(copy);
      try {
        await db.read((d) => d.backup(copy, true));
      } catch (error) {
        await rm(copy, { recursive: true, force: true });
        throw error;
      }
      await db.close();
      await rename(paths.database, replaced);
      try {
        await rename(copy, paths.database);
      } catch (error) {
        await rename(replaced, paths.database);
        throw error;
      }
      await rm(replaced, { recursive: true, force: true });
      const after = await inspectCacheFiles(paths);
      // A copy LMDB just wrote is sound: stamp it, so the next command skips the full check.
      if (after.state === 'ok' && after.data) await writeStamp(paths, after.data).catch(() => undefined);
      return { compacted: true, bytesBefore, bytesAfter: after.state === 'ok' ? (after.data?.size ?? 0) : 0 };
    },
    GUARD_LOCK,
  );
}

/** Pids in LMDB's reader table other than this process, still running. */
function otherReaders(table: string): number[] {
  const pids = new Set<number>();
  for (const line of table.split('\n').slice(1)) {
    const pid = Number(line.trim().split(/\s+/)[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid)) pids.add(pid);
  }
  return [...pids];
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
