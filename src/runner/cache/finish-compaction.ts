/**
 * What a compaction killed half-way leaves (see compact-cache.ts), put right. Compaction copies the
 * database to `<database>.compacting-<pid>`, renames the database to `<database>.replaced-<pid>`, the
 * copy into its place, then deletes the old one: a kill between the two renames leaves no database at
 * all, and an open would start an empty cache, losing every paid entry. Called with the cache's lock
 * held (as compaction holds it throughout), so whatever it finds belongs to a process that died.
 */
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CachePaths } from './cache-paths.js';

const LEFTOVER = /^(.+)\.(compacting|replaced)-\d+$/;

/** Restores the original database when only its `replaced` copy is left; deletes the rest. Returns what it did. */
export async function finishInterruptedCompaction(paths: CachePaths): Promise<'restored' | 'cleaned' | 'none'> {
  const folder = dirname(paths.database);
  const name = basename(paths.database);
  const entries = await readdir(folder).catch(() => [] as string[]);
  const leftovers = entries.map((entry) => LEFTOVER.exec(entry)).filter((m): m is RegExpExecArray => m !== null && m[1] === name);
  if (leftovers.length === 0) return 'none';
  let restored = false;
  if (!entries.includes(name)) {
    // The original, not the copy: it was complete, and it is what the cache held before compaction began.
    const original = leftovers.find((m) => m[2] === 'replaced');
    if (original) {
      await rename(join(folder, original[0]), paths.database);
      restored = true;
    }
  }
  // The restored one is gone under its old name already (force: nothing to delete).
  for (const m of leftovers) await rm(join(folder, m[0]), { recursive: true, force: true });
  return restored ? 'restored' : 'cleaned';
}
